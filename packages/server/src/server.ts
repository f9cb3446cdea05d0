import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { createApp } from './app.js';
import { ensureAdminAccount } from './auth/admin-users.js';
import { createApiKey } from './auth/api-keys.js';
import { type Clock, systemClock } from './clock.js';
import { type Config, checkPublicBaseUrl, withPublicBaseUrl } from './config.js';
import { migrateToLatest } from './db/migrations.js';
import { isEmbedded, openDatabase } from './db/open-database.js';
import { shareDemoLink } from './demo/demo-link.js';
import { ServerError } from './errors.js';
import { type KekSource, loadKeyRing } from './key-wrapping/load-kek.js';
import type { LinkView } from './links/link-view.js';
import { cryptoRandom } from './random.js';
import { startRateLimitSweep } from './rate-limits/sweep-rate-limits.js';
import { type RetentionTimer, startRetentionTimer } from './retention/retention-timer.js';

export interface StartServerOptions {
  config: Config;
  logger?: FastifyBaseLogger;
  clock?: Clock;
  /** Create an API key when the database has none and SHL_API_KEY is unset (for `npm start`). */
  bootstrapApiKey?: boolean;
}

export interface RunningServer {
  /** The public base URL (link URLs start with it). */
  url: string;
  config: Config;
  /** The demo link, when this start shared one. */
  demo?: LinkView;
  /** A first API key, when `bootstrapApiKey` asked for one and there was none. Shown once. */
  firstApiKey?: { id: string; token: string };
  /** The account SHL_ADMIN_USER and SHL_ADMIN_PASSWORD made or reset at this start. */
  adminAccount?: { username: string; outcome: 'created' | 'reset' };
  /** True when the database has no enabled admin account (the start message says how to make one). */
  noAdminAccount: boolean;
  /**
   * Where the key-encryption key came from. `data-dir` (generated beside the embedded database) is to be
   * announced loudly: a copy of the data folder then decrypts every link.
   */
  keyEncryptionKey: { source: KekSource; file?: string; generated: boolean };
  close(): Promise<void>;
}

/** A base URL for a server that learned its port only when listening. */
const derivedBaseUrl = (host: string, port: number): string =>
  ['0.0.0.0', '127.0.0.1', ''].includes(host) ? `http://127.0.0.1:${port}` : `http://localhost:${port}`;

/**
 * Opens the database, migrates it, builds the app and listens. The key-encryption key comes from config
 * or DATA_DIR; the demo link is shared on the first start of an empty embedded database.
 */
export const startServer = async (options: StartServerOptions): Promise<RunningServer> => {
  const { config } = options;
  if ((config.adminUser === undefined) !== (config.adminPassword === undefined)) {
    throw new ServerError('SHL_CONFIG_INVALID', 'set SHL_ADMIN_USER and SHL_ADMIN_PASSWORD together', {
      field: config.adminUser === undefined ? 'SHL_ADMIN_USER' : 'SHL_ADMIN_PASSWORD',
    });
  }
  const random = cryptoRandom;
  const kek = loadKeyRing(config, random);
  const keyEncryptionKey = kek.ring;
  const db = await openDatabase(config, options.logger);
  try {
    await migrateToLatest(db);
    let base = config.publicBaseUrl;
    const { app, linkDeps } = await createApp({
      config,
      db,
      keyEncryptionKey,
      random,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      publicBaseUrl: () => {
        if (base === undefined) throw new ServerError('SHL_INTERNAL', 'the server is not listening yet');
        return base;
      },
    });
    try {
      await app.listen({ port: config.port, host: config.host });
      if (base === undefined) {
        const { port } = app.server.address() as AddressInfo;
        base = checkPublicBaseUrl(derivedBaseUrl(config.host, port));
      }
      // Filled in last (below), so that a failed start leaves no timer behind.
      const background: { retention?: RetentionTimer; stopRateLimitSweep?: () => void } = {};
      const running: RunningServer = {
        url: base,
        config: withPublicBaseUrl(config, base),
        noAdminAccount: false,
        keyEncryptionKey: {
          source: kek.source,
          generated: kek.generated,
          ...(kek.file === undefined ? {} : { file: kek.file }),
        },
        close: async () => {
          background.stopRateLimitSweep?.();
          await background.retention?.stop();
          await app.close();
          await db.destroy();
        },
      };
      if (config.demo && isEmbedded(config)) {
        const demo = await shareDemoLink(linkDeps);
        if (demo !== undefined) running.demo = demo;
      }
      if (config.adminUser !== undefined && config.adminPassword !== undefined) {
        const outcome = await ensureAdminAccount(db, {
          username: config.adminUser,
          password: config.adminPassword,
        });
        running.adminAccount = { username: config.adminUser, outcome };
      }
      const admin = await db
        .selectFrom('shl_admin_users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      running.noAdminAccount = admin === undefined;
      if (options.bootstrapApiKey && config.apiKey === undefined) {
        const any = await db.selectFrom('shl_api_keys').select('id').limit(1).executeTakeFirst();
        if (any === undefined) {
          const { id, token } = await createApiKey(db, { name: 'first start' });
          running.firstApiKey = { id, token };
        }
      }
      background.retention = startRetentionTimer({
        db,
        clock: options.clock ?? systemClock,
        periods: { retentionDays: config.retentionDays, retentionPersonalDays: config.retentionPersonalDays },
        sweepMinutes: config.retentionSweepMinutes,
        logger: options.logger,
      });
      if (config.rateLimit) {
        background.stopRateLimitSweep = startRateLimitSweep({
          db,
          clock: options.clock ?? systemClock,
          logger: options.logger,
        });
      }
      return running;
    } catch (error) {
      await app.close();
      throw error;
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
};

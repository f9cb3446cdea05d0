import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeShlink, decryptFile, generateShlId } from '@shlkit/core';
import { loadConfig, openDatabase } from '@shlkit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type RunningCommand, samplePath, shlkit, startShlkit, waitFor } from './harness.js';
import { ipsSampleNames } from '../../../test-support/samples.js';
import { closedPort } from './static-server.js';

/** A database for one run of the suite: the server environment that selects it, and its cleanup. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

const ipsSamples = ipsSampleNames();

interface CreatedJson {
  id: string;
  shlink: string;
  viewerUrl: string;
  payload: Record<string, unknown>;
  managementToken: string;
  encryptedLocally: boolean;
}

/**
 * Every command against a real server (started by `shlkit serve` itself) on one database. Tests run in
 * order: operator commands on the fresh database, then the server's life, then a look into the database.
 */
export const describeServerSuite = (name: string, openTestDatabase: () => Promise<TestDatabase>): void => {
  describe(`shlkit against a real server on ${name}`, () => {
    let database: TestDatabase;
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let server: RunningCommand | undefined;
    let serverUrl = '';
    let apiKey = '';
    let apiKeyId = '';
    let scopedKey = '';
    const zeroKnowledge: { id: string; key: string; marker: string }[] = [];
    let env: Record<string, string>;
    const client = () => ({ ...env, SHLKIT_SERVER: serverUrl, SHLKIT_API_KEY: apiKey });

    beforeAll(async () => {
      database = await openTestDatabase();
      temp = await makeTempDir();
      env = { PORT: '0', HOST: '127.0.0.1', SHL_DEMO: 'false', LOG_LEVEL: 'silent', ...database.env };
    });
    afterAll(async () => {
      server?.stop();
      await server?.done;
      await database?.drop();
      await temp?.remove();
    });

    it('migrate brings the fresh database up to date, and again without harm', async () => {
      const first = await shlkit(['migrate'], { env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^Migrated .*: the schema is up to date\.\n$/);
      const again = await shlkit(['migrate', '--json'], { env });
      expect(again.json()).toMatchObject({ migrated: true });
    });

    it('api-key create shows the token once and lists the key without it', async () => {
      const created = await shlkit(['api-key', 'create', 'cli-tests', '--json'], { env });
      expect(created.code).toBe(0);
      const key = created.json<{ id: string; token: string; name: string }>();
      expect(key.name).toBe('cli-tests');
      expect(key.token.length).toBeGreaterThan(20);
      apiKey = key.token;
      apiKeyId = key.id;
      const list = await shlkit(['api-key', 'list'], { env });
      expect(list.stdout).toContain(`${key.id}  cli-tests`);
      expect(list.stdout).toContain('active');
      expect(list.stdout).not.toContain(key.token);
    });

    it('api-key create NAME --scope links:create makes a scoped key, listed with its scope; an unknown scope exits 2', async () => {
      const made = await shlkit(
        ['api-key', 'create', 'patient-backend', '--scope', 'links:create', '--json'],
        {
          env,
        },
      );
      expect(made.stderr).toBe('');
      const key = made.json<{ id: string; token: string; scopes: string[] }>();
      expect(key.scopes).toEqual(['links:create']);
      scopedKey = key.token;
      const listed = await shlkit(['api-key', 'list'], { env });
      expect(listed.stdout).toContain(`${key.id}  patient-backend       links:create`);
      expect(listed.stdout).toMatch(/cli-tests\s+admin\s/);
      const unknown = await shlkit(['api-key', 'create', 'x', '--scope', 'links:everything'], { env });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown scope "links:everything"');
    });

    it('admin create-user creates an administrator once; a taken name exits 7 and a short password exits 2', async () => {
      const created = await shlkit(['admin', 'create-user', 'alice', '--password', 'correct horse battery'], {
        env,
      });
      expect(created.stderr).toBe('');
      expect(created.stdout).toMatch(/^Created administrator alice \(/);
      const again = await shlkit(['admin', 'create-user', 'alice'], {
        env: { ...env, SHLKIT_ADMIN_PASSWORD: 'another long passphrase' },
      });
      expect(again.code).toBe(7);
      expect(again.stderr).toContain('user alice exists');
      expect(again.stderr).toContain('Choose another username.');
      const short = await shlkit(['admin', 'create-user', 'bob', '--password', 'short'], { env });
      expect(short.code).toBe(2);
      expect(short.stderr).toContain('at least 12 are needed');
    });

    it('serve starts the server and prints where it listens', async () => {
      server = startShlkit(['serve', '--json'], { env });
      const started = await waitFor(server, () => {
        const out = server?.stdout() ?? '';
        return out.trim().endsWith('}')
          ? (JSON.parse(out) as { url: string; publicBaseUrl: string })
          : undefined;
      });
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      serverUrl = started.url;
      const list = await shlkit(['links', 'list', '--json'], { env: client() });
      expect(list.stderr).toBe('');
      expect(list.json()).toMatchObject({ links: [] });
    });

    it.each(ipsSamples)('create shares the IPS sample %s and resolve returns it intact', async (sample) => {
      const created = await shlkit(
        ['create', samplePath(`ips/${sample}`), '--label', sample.slice(0, 80), '--json'],
        {
          env: client(),
        },
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const link = created.json<CreatedJson>();
      expect(link.viewerUrl).toBe(`${link.viewerUrl.split('#')[0]}#${link.shlink}`);
      const out = join(temp.path, sample);
      const resolved = await shlkit(
        ['resolve', link.viewerUrl, '--allow-insecure-network', '--out', out, '--json'],
        {
          env: client(),
        },
      );
      expect(resolved.stderr).toBe('');
      const json = resolved.json<{ files: { contentType: string; path: string }[] }>();
      expect(json.files).toHaveLength(1);
      expect(json.files[0]?.contentType).toMatch(/^application\/fhir\+json/);
      const original = JSON.parse(await readFile(samplePath(`ips/${sample}`), 'utf8')) as unknown;
      expect(JSON.parse(await readFile(json.files[0]?.path ?? '', 'utf8'))).toEqual(original);
    });

    it('create shares a SMART Health Card file and an IPS in one link, with a QR image', async () => {
      const created = await shlkit(
        [
          'create',
          samplePath('shc/example-00-e-file.smart-health-card'),
          samplePath('ips/IPS_IG_bundle-minimal.json'),
          '--qr',
          'both.svg',
        ],
        { env: client(), cwd: temp.path },
      );
      expect(created.stderr).toBe('');
      expect(created.stdout).toMatch(/^Created link \S+ with 2 files\./);
      expect(created.stdout).toMatch(/^manage: {2}shlm_\S+$/m);
      expect(created.stdout).toContain(`qr:      ${join(temp.path, 'both.svg')}`);
      expect(await readFile(join(temp.path, 'both.svg'), 'utf8')).toMatch(/^<svg /);
      const shlink = /^shlink: {2}(\S+)$/m.exec(created.stdout)?.[1] ?? '';
      const resolved = await shlkit(['resolve', shlink, '--allow-insecure-network', '--out', 'both'], {
        env: client(),
        cwd: temp.path,
      });
      expect(resolved.code).toBe(0);
      expect(resolved.stdout).toContain('2 files:');
      expect(await readFile(join(temp.path, 'both', '1.smart-health-card'), 'utf8')).toBe(
        await readFile(samplePath('shc/example-00-e-file.smart-health-card'), 'utf8'),
      );
    });

    it('a passcode link: none given exits 4, a wrong one exits 4 with attempts left, the right one opens it', async () => {
      const created = await shlkit(
        [
          'create',
          samplePath('ips/IPS_IG_bundle-minimal.json'),
          '--passcode',
          '4711',
          '--attempts',
          '3',
          '--expires',
          '7d',
          '--json',
        ],
        { env: client() },
      );
      const link = created.json<CreatedJson>();
      expect(link.payload.flag).toBe('P');
      // The link's own management token, shown once, reads this link and no other.
      const own = await fetch(`${serverUrl}/api/links/${link.id}`, {
        headers: { authorization: `Bearer ${link.managementToken}` },
      });
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({ id: link.id });
      const others = await fetch(`${serverUrl}/api/links`, {
        headers: { authorization: `Bearer ${link.managementToken}` },
      });
      await others.arrayBuffer();
      expect(others.status).toBe(403);
      expect(Number(link.payload.exp)).toBeGreaterThan(Date.now() / 1000 + 6.9 * 86_400);

      const none = await shlkit(['resolve', link.shlink, '--allow-insecure-network']);
      expect(none.code).toBe(4);
      expect(none.stderr).toContain('pass --passcode');

      const wrong = await shlkit([
        'resolve',
        link.shlink,
        '--allow-insecure-network',
        '--passcode',
        '0000',
        '--json',
      ]);
      expect(wrong.code).toBe(4);
      expect(wrong.error()).toMatchObject({ code: 'SHL_WRONG_PASSCODE', remainingAttempts: 2, exitCode: 4 });

      const right = await shlkit(
        ['resolve', link.shlink, '--allow-insecure-network', '--recipient', 'Dr. Lee'],
        {
          env: { SHLKIT_PASSCODE: '4711' },
        },
      );
      expect(right.stderr).toBe('');
      expect(right.code).toBe(0);

      const shown = await shlkit(['links', 'show', link.id], { env: client() });
      expect(shown.stdout).toContain('passcode    yes: 2 of 3 wrong tries left');
      expect(shown.stdout).toMatch(/expires {5}\d{4}-.* UTC \(in (6|7) days\)/);
      const accesses = await shlkit(['links', 'accesses', link.id], { env: client() });
      expect(accesses.stdout).toMatch(/ok\s+manifest\s+Dr\. Lee/);
      expect(accesses.stdout).toMatch(/wrong-passcode\s+manifest\s+shlkit command line/);
    });

    it('a revoked link answers as inactive: resolve exits 3 with advice, links show says revoked', async () => {
      const link = (
        await shlkit(['create', samplePath('ips/IPS_IG_bundle-minimal.json'), '--json'], { env: client() })
      ).json<CreatedJson>();
      const revoked = await shlkit(['links', 'revoke', link.id], { env: client() });
      expect(revoked.stdout).toBe(`Revoked link ${link.id}: receivers now get "not found".\n`);
      const resolved = await shlkit(['resolve', link.shlink, '--allow-insecure-network']);
      expect(resolved.code).toBe(3);
      expect(resolved.stderr).toContain('Ask the sender for a new link.');
      const shown = await shlkit(['links', 'show', link.id, '--json'], { env: client() });
      expect(shown.json()).toMatchObject({ id: link.id, status: 'revoked' });
      const listed = await shlkit(['links', 'list', '--status', 'revoked', '--json'], { env: client() });
      expect(listed.json<{ links: { id: string }[] }>().links.map((entry) => entry.id)).toContain(link.id);
    });

    it('on a terminal, create draws the QR code and both commands show upload and download progress on stderr', async () => {
      const big = samplePath('ips/CA_VeroSource_colorful_balloon.json');
      const created = await shlkit(['create', big, '--long-term'], { env: client(), tty: true });
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/[▀▄█]/);
      expect(created.stderr).toMatch(/uploading .* of \d+\.\d MB 100%/);
      const shlink = /^shlink: {2}(\S+)$/m.exec(created.stdout)?.[1] ?? '';
      expect(decodeShlink(shlink).flag).toBe('L');
      const resolved = await shlkit(['resolve', shlink, '--allow-insecure-network'], { tty: true });
      expect(resolved.code).toBe(0);
      expect(resolved.stderr).toContain('downloading');
      // SHL: an L link's manifest says its content can change.
      expect(resolved.stdout).toContain('status:  can-change');
    });

    it('a direct-file link (--direct, flag U) resolves with one GET', async () => {
      const link = (
        await shlkit(
          ['create', samplePath('shc/example-00-e-file.smart-health-card'), '--direct', '--json'],
          { env: client() },
        )
      ).json<CreatedJson>();
      expect(link.payload.flag).toBe('U');
      const resolved = await shlkit(['resolve', link.shlink, '--allow-insecure-network', '--json']);
      expect(resolved.json<{ files: { contentType: string }[] }>().files[0]?.contentType).toBe(
        'application/smart-health-card',
      );
    });

    it('--encrypt-locally: the link resolves and carries the locally made key and the server viewer', async () => {
      for (const sample of ['IPS_IG_bundle-minimal.json', 'CH_HL7CH_Examples_01.json']) {
        const created = await shlkit(
          ['create', samplePath(`ips/${sample}`), '--encrypt-locally', '--label', 'zero knowledge', '--json'],
          {
            env: client(),
          },
        );
        expect(created.stderr).toBe('');
        const link = created.json<CreatedJson>();
        expect(link.encryptedLocally).toBe(true);
        expect(link.viewerUrl.startsWith(`${serverUrl}/view#shlink:/`)).toBe(true);
        const payload = decodeShlink(link.shlink);
        expect(payload.label).toBe('zero knowledge');
        const resolved = await shlkit(['resolve', link.viewerUrl, '--allow-insecure-network', '--json']);
        expect(resolved.stderr).toBe('');
        const original = JSON.parse(await readFile(samplePath(`ips/${sample}`), 'utf8')) as {
          entry: { resource: Record<string, unknown> }[];
        };
        expect(resolved.json<{ files: { json: unknown }[] }>().files[0]?.json).toEqual(original);
        const patient = original.entry.find((entry) => entry.resource.resourceType === 'Patient')?.resource;
        // A distinctive string of the document: the patient's family name.
        const marker = String((patient?.name as { family?: string }[] | undefined)?.[0]?.family);
        expect(marker.length).toBeGreaterThan(3);
        zeroKnowledge.push({ id: link.id, key: payload.key, marker });
        const shown = await shlkit(['links', 'show', link.id, '--json'], { env: client() });
        expect(shown.json()).toMatchObject({ zeroKnowledge: true });
        expect(shown.stdout).not.toContain(payload.key);
      }
    });

    it('create refuses bad flag values (exit 2) and a missing file (exit 8) before any upload', async () => {
      const file = samplePath('ips/IPS_IG_bundle-minimal.json');
      const cases: [string[], string][] = [
        [['--expires', 'soon'], '--expires "soon" is neither a duration nor an ISO date'],
        [['--expires', '2001-01-01'], '--expires 2001-01-01 is in the past'],
        [['--passcode', '1', '--attempts', '0'], '--attempts must be a positive whole number, not "0"'],
        [['--attempts', '3'], '--attempts only makes sense with --passcode'],
        [['--label', 'x'.repeat(81)], '--label is 81 UTF-16 code units long; SHL allows at most 80'],
        [['--direct', '--passcode', '1'], '--passcode cannot be combined with --direct'],
        [['--qr', 'code.gif'], '--qr "code.gif" must end in .png or .svg'],
      ];
      for (const [flags, message] of cases) {
        const result = await shlkit(['create', file, ...flags], { env: client() });
        expect(result.code, flags.join(' ')).toBe(2);
        expect(result.stderr).toContain(message);
      }
      const missing = await shlkit(['create', 'no-such-file.json', '--json'], {
        env: client(),
        cwd: temp.path,
      });
      expect(missing.code).toBe(8);
      expect(missing.error()).toMatchObject({
        code: 'CLI_FILE_NOT_FOUND',
        message: 'no such file: no-such-file.json',
      });
      const notJson = await shlkit(['create', samplePath('shl-vectors/spec-example-encrypted-shc.jwe.txt')], {
        env: client(),
      });
      expect(notJson.code).toBe(6);
      expect(notJson.stderr).toContain('is not JSON');
      const noServer = await shlkit(['create', file], { env: {} });
      expect(noServer.code).toBe(2);
      expect(noServer.stderr).toContain('set SHLKIT_SERVER');
    });

    it('a links:create key creates links and lists only its own', async () => {
      const scoped = { ...client(), SHLKIT_API_KEY: scopedKey };
      const created = await shlkit(
        ['create', samplePath('ips/IPS_IG_bundle-minimal.json'), '--label', 'backend', '--json'],
        { env: scoped },
      );
      expect(created.stderr).toBe('');
      const own = created.json<CreatedJson>().id;
      const everyLink = await shlkit(['links', 'list', '--json'], { env: client() });
      expect(everyLink.json<{ links: unknown[] }>().links.length).toBeGreaterThan(1);
      const mine = await shlkit(['links', 'list', '--json'], { env: scoped });
      expect(mine.json<{ links: { id: string }[] }>().links.map((link) => link.id)).toEqual([own]);
    });

    it('management errors: a bad API key exits 7, an unknown link id exits 3, a server that is down exits 5', async () => {
      const badKey = await shlkit(['links', 'list', '--api-key', 'shlk_not-a-key'], { env: client() });
      expect(badKey.code).toBe(7);
      expect(badKey.stderr).toContain('the server refused the API key (401)');
      expect(badKey.stderr).toContain('shlkit api-key create NAME');
      const unknown = await shlkit(['links', 'show', generateShlId(), '--json'], { env: client() });
      expect(unknown.error()).toMatchObject({ code: 'CLI_NOT_FOUND', status: 404 });
      expect(unknown.code).toBe(3);
      const port = await closedPort();
      const down = await shlkit(
        ['create', samplePath('ips/IPS_IG_bundle-minimal.json'), '--server', `http://127.0.0.1:${port}`],
        {
          env: client(),
        },
      );
      expect(down.code).toBe(5);
      expect(down.stderr).toContain(`cannot reach the server at http://127.0.0.1:${port}`);
      expect(down.stderr).toContain('shlkit serve');
    });

    it('serve stops cleanly on the stop signal', async () => {
      server?.stop();
      expect(await server?.done).toBe(0);
      server = undefined;
    });

    it('the database holds neither plaintext nor key of --encrypt-locally links', async () => {
      expect(zeroKnowledge).toHaveLength(2);
      const db = await openDatabase(loadConfig(env));
      try {
        for (const { id, key, marker } of zeroKnowledge) {
          const link = await db
            .selectFrom('shl_links')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          expect(link.wrapped_key).toBeNull();
          const files = await db.selectFrom('shl_files').selectAll().where('link_id', '=', id).execute();
          expect(files).toHaveLength(1);
          const stored = JSON.stringify(files);
          expect(stored).not.toContain(marker);
          // The stored row is the document: it opens with the key only the link holds.
          const opened = await decryptFile(files[0]?.jwe ?? '', key);
          expect(opened.text()).toContain(marker);
          for (const table of [
            'shl_links',
            'shl_files',
            'shl_passcodes',
            'shl_access_log',
            'shl_file_tickets',
          ] as const) {
            expect(JSON.stringify(await db.selectFrom(table).selectAll().execute())).not.toContain(key);
          }
        }
      } finally {
        await db.destroy();
      }
    });

    it('api-key revoke marks the key revoked; an unknown id exits 3', async () => {
      const revoked = await shlkit(['api-key', 'revoke', apiKeyId], { env });
      expect(revoked.stdout).toBe(`Revoked API key ${apiKeyId}.\n`);
      const list = await shlkit(['api-key', 'list', '--json'], { env });
      const keys = list.json<{ keys: { id: string; revokedAt: string | null }[] }>().keys;
      expect(keys.find((key) => key.id === apiKeyId)?.revokedAt).not.toBeNull();
      const unknown = await shlkit(['api-key', 'revoke', apiKeyId], { env });
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toContain(`no active API key with id ${apiKeyId}`);
    });
  });
};

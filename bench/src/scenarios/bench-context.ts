import type { AccessLedger } from '../access-log-check.js';
import type { BenchSettings } from '../bench-settings.js';
import type { SpawnedServer } from '../spawn-server.js';

/** What a measure needs: the running server, the settings, and the ledger of answers to find logged. */
export interface BenchContext {
  server: SpawnedServer;
  settings: BenchSettings;
  ledger: AccessLedger;
  /** Stored links while this server runs. */
  links: number;
}

// Real Chromium for the browser tests: Debian's package, driven by playwright-core (no browser download).
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run. CI must have Chromium: there a missing browser throws, failing the
 * suite; a developer machine without it skips with a message naming `who`.
 */
export const chromiumAvailable = (who: string): boolean => {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: ${who} needs it`);
  console.warn(`${who} skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
  return false;
};

/** `extraArgs`: more Chromium switches for one suite (for example `--host-resolver-rules`). */
export const launchChromium = (extraArgs: readonly string[] = []): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    // Without the networking flags Chromium calls home at start, which this closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });

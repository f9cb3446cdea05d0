import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium; CI must have it (a missing browser fails there), a developer machine may skip. */
export const chromiumAvailable = (): boolean => {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${CHROMIUM} is missing: the viewer e2e tests need it`);
  console.warn(`viewer e2e tests skipped: ${CHROMIUM} is not installed`);
  return false;
};

export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

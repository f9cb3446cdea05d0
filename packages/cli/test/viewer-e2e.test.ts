import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from '../../../test-support/chromium.js';
import { describe, expect, it } from 'vitest';
import { samplePath, shlkit, startShlkit, waitFor } from './harness.js';

const viewerIndex = fileURLToPath(new URL('../../viewer/dist/index.html', import.meta.url));

/** What this test needs; under CI a missing piece fails the suite instead of skipping it. */
const missing = [
  existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed`,
  existsSync(viewerIndex) ? undefined : 'the viewer is not built (npm run build -w @shlkit/viewer)',
].filter((reason) => reason !== undefined);
if (missing.length > 0 && process.env.CI !== 'true') {
  console.warn(`cli: viewer test skipped: ${missing.join('; ')}`);
}

describe.skipIf(missing.length > 0 && process.env.CI !== 'true')(
  'an --encrypt-locally link in the viewer',
  () => {
    it('opens in the server’s viewer in a real browser and shows the patient', async () => {
      expect(missing, 'CI must have Chromium and the built viewer').toEqual([]);
      const token = 'cli-viewer-test-token-0123456789';
      const server = startShlkit(['serve'], {
        env: {
          DATA_DIR: 'memory://',
          PORT: '0',
          HOST: '127.0.0.1',
          SHL_DEMO: 'false',
          LOG_LEVEL: 'silent',
          SHL_API_KEY: token,
        },
      });
      const browser = await launchChromium();
      try {
        const url = await waitFor(server, () => /listening on (\S+)/.exec(server.stdout())?.[1]);
        const sample = samplePath('ips/IPS_IG_bundle-minimal.json');
        const created = await shlkit(
          ['create', sample, '--encrypt-locally', '--passcode', 'open sesame', '--json'],
          {
            env: { SHLKIT_SERVER: url, SHLKIT_API_KEY: token },
          },
        );
        expect(created.stderr).toBe('');
        const { viewerUrl } = created.json<{ viewerUrl: string }>();
        const bundle = JSON.parse(await readFile(sample, 'utf8')) as {
          entry: { resource: { resourceType: string; name?: { family?: string }[] } }[];
        };
        const family =
          bundle.entry.find((entry) => entry.resource.resourceType === 'Patient')?.resource.name?.[0]
            ?.family ?? '';
        expect(family.length).toBeGreaterThan(2);

        const page = await browser.newPage();
        await page.goto(viewerUrl);
        await page.getByLabel(/name or organisation/i).fill('CLI viewer test');
        await page.getByLabel(/^passcode$/i).fill('open sesame');
        await page.getByRole('button', { name: /^open$/i }).click();
        // Visible to the reader, not merely present in the DOM.
        await expect.poll(() => page.getByText(family).first().isVisible(), { timeout: 20_000 }).toBe(true);
      } finally {
        await browser.close();
        server.stop();
        await server.done;
      }
    });
  },
);

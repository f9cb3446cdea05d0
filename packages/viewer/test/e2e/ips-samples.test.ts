import type { Bundle } from '@shlkit/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipsSampleNames, readSampleJson } from '../../../../test-support/samples.js';
import { chromiumAvailable, launchChromium } from '../../../../test-support/chromium.js';
import { viewerDist } from './build-viewer.js';
import { expectedTexts, normalizeSpace } from './expected-text.js';
import { openPage, pageText, screenshot, showAllRows, unlock } from './page-helpers.js';
import { type SharingServer, startSharingServer } from './sharing-server.js';

const LARGE = 'CA_VeroSource_colorful_balloon.json';

describe.skipIf(!chromiumAvailable('the viewer e2e tests'))(
  'the viewer opens every IPS sample shared by the server',
  () => {
    let browser: Browser;
    let server: SharingServer;

    beforeAll(async () => {
      [browser, server] = await Promise.all([launchChromium(), startSharingServer(viewerDist)]);
    });

    afterAll(async () => {
      await Promise.all([browser?.close(), server?.close()]);
    });

    // Every other sample gets a passcode, so both unlock paths run over real documents.
    it.each(
      ipsSampleNames().map(
        (name, index) => [name, index % 2 === 0 ? `pass-${index}-word` : undefined] as const,
      ),
    )('%s: shows the patient and an entry text from every section (passcode: %s)', async (name, passcode) => {
      const bundle = readSampleJson<Bundle>(`ips/${name}`);
      const link = await server.createLink({
        content: bundle,
        label: `Summary ${name}`.slice(0, 80),
        ...(passcode ? { passcode } : {}),
      });
      const { context, page, traffic, errors, cspViolations } = await openPage(browser, link.viewerUrl);
      try {
        await expect
          .poll(() => page.getByTestId('link-label').textContent())
          .toBe(`Summary ${name}`.slice(0, 80));
        if (passcode) await expect.poll(() => page.getByTestId('link-passcode').count()).toBe(1);
        await unlock(page, 'Dr. Test, e2e clinic', passcode);
        await page.getByTestId('patient-name').waitFor();
        await showAllRows(page);

        const text = normalizeSpace(await pageText(page));
        const expected = expectedTexts(bundle);
        expect(normalizeSpace((await page.getByTestId('patient-name').textContent()) ?? '')).toContain(
          expected.familyName,
        );
        for (const section of expected.sections) {
          expect(text, `section title "${section.title}"`).toContain(normalizeSpace(section.title));
          for (const candidates of section.entries) {
            expect(candidates.length, `an entry of "${section.title}" has a main text`).toBeGreaterThan(0);
            const found = candidates.some((candidate) => text.includes(normalizeSpace(candidate)));
            expect(found, `"${section.title}" shows one of ${JSON.stringify(candidates)}`).toBe(true);
          }
        }

        // The page stays responsive with everything rendered: scroll to the end and back, then a round trip.
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(true))));
        expect(await page.evaluate(() => document.readyState)).toBe('complete');
        await screenshot(page, name.replace(/\.json$/, ''), name !== LARGE);
        if (name === 'full_ips.json') {
          await page.setViewportSize({ width: 1280, height: 1600 });
          await page.evaluate(() => window.scrollTo(0, 0));
          await screenshot(page, 'full_ips-desktop', false);
        }

        // No request left the sharing server's origin, and the key never travelled in any request.
        const origin = new URL(server.url).origin;
        for (const url of traffic.urls) expect(url.startsWith(origin) || url.startsWith('data:')).toBe(true);
        for (const part of [...traffic.urls, ...traffic.bodies])
          expect(part).not.toContain(link.payload.key as string);
        expect(errors).toEqual([]);
        expect(cspViolations).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);

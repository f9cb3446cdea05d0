import { readFileSync } from 'node:fs';
import type { Bundle } from '@shlkit/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSampleJson } from '../../../../test-support/samples.js';
import { chromiumAvailable, launchChromium } from '../../../../test-support/chromium.js';
import { viewerDist } from './build-viewer.js';
import { expectedTexts } from './expected-text.js';
import { artifactsDir, fakeCamera, openPage, pageText, screenshot, unlock } from './page-helpers.js';
import { type SharingServer, startSharingServer } from './sharing-server.js';

const full = readSampleJson<Bundle>('ips/full_ips.json');

/** A narrative with everything a hostile author could try. */
const HOSTILE_NARRATIVE = [
  '<div xmlns="http://www.w3.org/1999/xhtml">',
  '<p>Visible narrative text</p>',
  '<script>window.__pwned = 1</script>',
  '<img src="https://tracker.invalid/pixel.png" onerror="window.__pwned = 2"/>',
  '<p style="color: red" onclick="window.__pwned = 3">styled paragraph</p>',
  '<a href="#evil">in-page link</a> <a href="javascript:window.__pwned = 4">script link</a>',
  '</div>',
].join('');

describe.skipIf(!chromiumAvailable('the viewer e2e tests'))(
  'what the reader can do with an opened document',
  () => {
    let browser: Browser;
    let server: SharingServer;

    beforeAll(async () => {
      [browser, server] = await Promise.all([launchChromium(), startSharingServer(viewerDist)]);
    });

    afterAll(async () => {
      await Promise.all([browser?.close(), server?.close()]);
    });

    it('shows a hostile narrative sanitised: no script, handler, style, remote image or fragment link survives', async () => {
      const bundle = structuredClone(readSampleJson<Bundle>('ips/IPS_IG_bundle-minimal.json'));
      const composition = bundle.entry?.[0]?.resource as unknown as { section: { text: { div: string } }[] };
      (composition.section[0] as { text: { div: string } }).text.div = HOSTILE_NARRATIVE;
      const link = await server.createLink({ content: bundle });
      const { context, page, traffic, errors, cspViolations } = await openPage(browser, link.viewerUrl);
      try {
        await unlock(page, 'Security review');
        await page.getByText('Text as written by the author').first().click();
        const narrative = page.locator('.narrative').first();
        await narrative.getByText('Visible narrative text').waitFor();
        expect(await narrative.locator('script, [onerror], [onclick], [style], img[src]').count()).toBe(0);
        expect(await narrative.locator('a[href]').count()).toBe(0);
        const hash = await page.evaluate(() => location.hash);
        await narrative.getByText('in-page link').click();
        await narrative.getByText('script link').click();
        expect(await page.evaluate(() => location.hash)).toBe(hash);
        expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
        expect(traffic.urls.filter((url) => url.includes('tracker.invalid'))).toEqual([]);
        expect(errors).toEqual([]);
        // What the sanitiser's parser saw was also blocked by the CSP (defence in depth); nothing else was.
        for (const violation of cspViolations) expect(violation).toMatch(/inline (event handler|style)/);
      } finally {
        await context.close();
      }
    });

    it('downloads exactly the decrypted FHIR JSON', async () => {
      const link = await server.createLink({ content: full });
      const { context, page } = await openPage(browser, link.viewerUrl);
      try {
        await unlock(page, 'Download check');
        await page.getByTestId('patient-name').waitFor();
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('download').click(),
        ]);
        const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
        expect(saved).toEqual(full);
      } finally {
        await context.close();
      }
    });

    it('expands a table row to every field of its resource, on request', async () => {
      const link = await server.createLink({ content: full });
      const { context, page } = await openPage(browser, link.viewerUrl);
      try {
        await unlock(page, 'Details check');
        await page.getByTestId('patient-name').waitFor();
        const allergies = page.locator('[data-section="allergies"]');
        const toggle = allergies.getByRole('button', { name: 'All details' }).first();
        expect(await toggle.getAttribute('aria-expanded')).toBe('false');
        expect(await allergies.locator('.details-row').count()).toBe(0);
        await toggle.click();
        expect(await toggle.getAttribute('aria-expanded')).toBe('true');
        const allergy = full.entry?.find((e) => e.resource?.resourceType === 'AllergyIntolerance')?.resource;
        const details = allergies.locator('.details-row');
        await details.waitFor();
        // The generic view names every element of the resource.
        for (const field of Object.keys(allergy ?? {}).filter((f) => f !== 'resourceType' && f !== 'text')) {
          const label = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
          expect(await details.locator('dt', { hasText: label }).count()).toBeGreaterThan(0);
        }
      } finally {
        await context.close();
      }
    });

    it('prints without buttons or navigation, to a PDF kept as an artifact', async () => {
      const link = await server.createLink({ content: full });
      const { context, page } = await openPage(browser, link.viewerUrl);
      try {
        await unlock(page, 'Print check');
        await page.getByTestId('patient-name').waitFor();
        await page.emulateMedia({ media: 'print' });
        expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
        expect(await page.getByTestId('download').isVisible()).toBe(false);
        expect(await page.getByTestId('patient-name').isVisible()).toBe(true);
        await page.pdf({ path: `${artifactsDir}full_ips-print.pdf`, format: 'A4' });
        await page.setViewportSize({ width: 794, height: 1123 });
        await screenshot(page, 'full_ips-print-media', false);
      } finally {
        await context.close();
      }
    });

    it('prints every row of a large section, not only the first ones shown on screen', async () => {
      const large = readSampleJson<Bundle>('ips/CA_VeroSource_colorful_balloon.json');
      const link = await server.createLink({ content: large });
      const { context, page } = await openPage(browser, 'about:blank');
      try {
        // The browser's print dialog is replaced by a marker: only the browser API is faked.
        await page.addInitScript(() => {
          window.print = () => {
            (window as { __printed?: boolean }).__printed = true;
          };
        });
        await page.goto(link.viewerUrl);
        await unlock(page, 'Print check');
        await page.getByTestId('patient-name').waitFor();
        const resultRows = page.locator(
          '[data-section="results"] tbody tr:not(.component):not(.details-row)',
        );
        expect(await resultRows.count()).toBeLessThan(374);
        await page.getByRole('button', { name: 'Print' }).click();
        await page.waitForFunction(() => (window as { __printed?: boolean }).__printed === true);
        expect(await resultRows.count()).toBe(374);
      } finally {
        await context.close();
      }
    });

    it('shows a FHIR collection that is not an IPS with a word of why, its results in tables, and the rest', async () => {
      const collection = readSampleJson<Bundle>('shc/example-02-a-fhirBundle.json');
      const link = await server.createLink({ content: collection });
      const { context, page } = await openPage(browser, link.viewerUrl);
      try {
        await unlock(page, 'Generic check');
        // This collection names no Patient: no banner, the bundle is the heading.
        await page.getByRole('heading', { level: 1, name: 'FHIR Bundle' }).waitFor();
        expect(await page.getByTestId('no-ips-structure').textContent()).toContain('“collection”');
        expect(await page.locator('[data-section="results"] tbody tr').count()).toBeGreaterThan(50);
        const text = await pageText(page);
        expect(text).toContain('Specimen');
        const observation = collection.entry?.find((e) => e.resource?.resourceType === 'Observation')
          ?.resource as unknown as {
          code: { coding: { display?: string; code: string }[] };
        };
        const coding = observation.code.coding[0];
        expect(text).toContain(coding?.display ?? coding?.code);
        await screenshot(page, 'generic-bundle', false);
      } finally {
        await context.close();
      }
    });

    it('opens offline once loaded: the service worker serves the app shell, and opening a link says the network is down', async () => {
      const link = await server.createLink({ content: full });
      const shellUrl = `${server.url}/view/`;
      const { context, page } = await openPage(browser, shellUrl);
      try {
        await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
        await page.reload();
        expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
        await context.setOffline(true);
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Open a SMART Health Link' }).waitFor();
        await page.getByLabel(/SMART Health Link/).fill(link.shlink);
        await page.getByRole('button', { name: /open link/i }).click();
        await unlock(page, 'Offline check');
        await expect
          .poll(async () => (await page.getByTestId('error').allTextContents()).join(' '))
          .toMatch(/could not be reached/);
        // The cache holds the app shell only: nothing from the link's server.
        const cached = await page.evaluate(async () => {
          const urls: string[] = [];
          for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
          }
          return urls;
        });
        expect(cached.length).toBeGreaterThan(0);
        for (const url of cached) expect(new URL(url).pathname.startsWith('/view/')).toBe(true);
      } finally {
        await context.close();
      }
    });

    it('reads the link from the QR code the server drew, and opens it', async () => {
      const bundle = readSampleJson<Bundle>('ips/IPS_IG_bundle-minimal.json');
      const link = await server.createLink({ content: bundle, label: 'Scanned at the front desk' });
      const png = await server.api(`/api/links/${link.id}/qr.png`, 'GET');
      expect(png.status).toBe(200);
      const dataUrl = `data:image/png;base64,${Buffer.from(await png.arrayBuffer()).toString('base64')}`;
      const { context, page } = await openPage(browser, 'about:blank');
      try {
        await page.addInitScript(fakeCamera, dataUrl);
        await page.goto(`${server.url}/view`);
        await page.getByRole('button', { name: 'Scan a QR code' }).click();
        await page.getByTestId('link-label').waitFor();
        expect(await page.getByTestId('link-label').textContent()).toBe('Scanned at the front desk');
        await unlock(page, 'Front desk laptop');
        await page.getByTestId('patient-name').waitFor();
        expect(await page.getByTestId('patient-name').textContent()).toContain(
          expectedTexts(bundle).familyName,
        );
        await screenshot(page, 'scanned', false);
      } finally {
        await context.close();
      }
    });
  },
);

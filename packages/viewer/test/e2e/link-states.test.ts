import {
  type Bundle,
  encodeBase64url,
  encodeShlink,
  encryptFile,
  generateShlKey,
  type ShlPayload,
  utf8,
} from '@shlkit/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample, readSampleJson } from '../../../../test-support/samples.js';
import { chromiumAvailable, launchChromium } from '../../../../test-support/chromium.js';
import { viewerDist } from './build-viewer.js';
import { expectedTexts } from './expected-text.js';
import { openPage, screenshot, unlock } from './page-helpers.js';
import { type SharingServer, startSharingServer } from './sharing-server.js';

const minimal = readSampleJson<Bundle>('ips/IPS_IG_bundle-minimal.json');
const other = readSampleJson<Bundle>('ips/US_Washington_GDHP.json');
const familyOf = (bundle: Bundle) => expectedTexts(bundle).familyName;

/** The text of every error region on the page (they are live regions, present even when empty). */
const errorText = async (page: Page) => (await page.getByTestId('error').allTextContents()).join(' ');

describe.skipIf(!chromiumAvailable('the viewer e2e tests'))('the viewer through a link’s life', () => {
  let browser: Browser;
  let server: SharingServer;
  const viewer = () => `${server.url}/view`;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startSharingServer(viewerDist)]);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  it('says how many passcode attempts remain, never retries by itself, and shows the locked link as unavailable', async () => {
    const link = await server.createLink({
      content: minimal,
      passcode: 'correct horse',
      passcodeAttempts: 2,
    });
    const { context, page, traffic } = await openPage(browser, link.viewerUrl);
    try {
      await unlock(page, 'Front desk', 'wrong one');
      await expect.poll(() => errorText(page)).toMatch(/not correct\. 1 attempt remains/);
      expect(await page.getByLabel(/^passcode$/i).inputValue()).toBe('');
      const manifestRequests = () => traffic.urls.filter((url) => url === link.payload.url).length;
      expect(manifestRequests()).toBe(1);
      await screenshot(page, 'wrong-passcode');

      await page.getByLabel(/^passcode$/i).fill('wrong again');
      await page.getByRole('button', { name: /^open$/i }).click();
      await expect.poll(() => errorText(page)).toMatch(/not correct\. 0 attempts remain/);
      expect(manifestRequests()).toBe(2);

      // Locked for good: even the right passcode now meets the "no longer available" page.
      await page.getByLabel(/^passcode$/i).fill('correct horse');
      await page.getByRole('button', { name: /^open$/i }).click();
      await page.getByTestId('inactive').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'This link is no longer available',
      );
      await screenshot(page, 'locked');
    } finally {
      await context.close();
    }
  });

  it('shows an expired link’s date and then the unavailable page', async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const link = await server.createLink({ content: minimal, expiresAt: exp });
    // Wait (not a timing assertion) until the server's expiry has passed.
    await new Promise((done) => setTimeout(done, exp * 1000 - Date.now() + 1100));
    const { context, page } = await openPage(browser, link.viewerUrl);
    try {
      expect(await page.getByTestId('link-expiry').textContent()).toMatch(/^This link expired on /);
      await unlock(page, 'Front desk');
      await page.getByTestId('inactive').waitFor();
      await screenshot(page, 'expired');
    } finally {
      await context.close();
    }
  });

  it('shows a revoked link as unavailable', async () => {
    const link = await server.createLink({ content: minimal });
    expect((await server.api(`/api/links/${link.id}`, 'DELETE')).ok).toBe(true);
    const { context, page } = await openPage(browser, link.viewerUrl);
    try {
      await unlock(page, 'Front desk');
      await page.getByTestId('inactive').waitFor();
    } finally {
      await context.close();
    }
  });

  it('opens a U link pasted on the entry page, with the recipient remembered from before', async () => {
    const link = await server.createLink({ content: minimal, direct: true });
    expect(link.payload.flag).toBe('U');
    const { context, page, traffic } = await openPage(browser, viewer());
    try {
      await page.getByLabel(/SMART Health Link/).fill(link.shlink);
      await page.getByRole('button', { name: /open link/i }).click();
      await unlock(page, 'Reception, St. Elsewhere');
      await page.getByTestId('patient-name').waitFor();
      expect(await page.getByTestId('patient-name').textContent()).toContain(familyOf(minimal));
      // SHL U: GET with the recipient in the query, never a manifest POST.
      const direct = traffic.urls.find((url) => url.startsWith(link.payload.url));
      expect(new URL(direct ?? 'http://x').searchParams.get('recipient')).toBe('Reception, St. Elsewhere');
      expect(traffic.bodies.filter(Boolean)).toEqual([]);

      await page.goto(link.viewerUrl);
      expect(await page.getByLabel(/name or organisation/i).inputValue()).toBe('Reception, St. Elsewhere');
    } finally {
      await context.close();
    }
  });

  it('shows lastUpdated of an L link and shows new content after "Check for updates"', async () => {
    const link = await server.createLink({ content: minimal, longTerm: true });
    const { context, page } = await openPage(browser, link.viewerUrl);
    try {
      await unlock(page, 'Dr. Update');
      await page.getByTestId('patient-name').waitFor();
      expect(await page.getByTestId('last-updated').textContent()).toMatch(/^Shared file updated /);
      const put = await server.api(`/api/links/${link.id}/files`, 'PUT', { content: other });
      expect(put.ok).toBe(true);
      await page.getByTestId('refresh').click();
      await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(familyOf(other));
    } finally {
      await context.close();
    }
  });

  it('honours a Retry-After on an L link: an early refresh is answered in the page, without a request', async () => {
    const link = await server.createLink({ content: minimal, longTerm: true });
    const { context, page, traffic } = await openPage(browser, 'about:blank');
    try {
      // The server may ask for a minimum wait between polls; here the test adds that header to its answer.
      await page.route(link.payload.url, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'retry-after': '600' } });
      });
      await page.goto(link.viewerUrl);
      await unlock(page, 'Dr. Patient');
      await page.getByTestId('patient-name').waitFor();
      await page.getByTestId('refresh').click();
      await expect.poll(() => errorText(page)).toMatch(/Too many requests\. Try again in \d+ s\./);
      expect(traffic.urls.filter((url) => url === link.payload.url)).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('says clearly when the key does not decrypt the file', async () => {
    const link = await server.createLink({ content: minimal });
    const broken = encodeShlink(
      { ...(link.payload as ShlPayload), key: generateShlKey() },
      { viewerUrl: viewer() },
    );
    const { context, page } = await openPage(browser, broken);
    try {
      await unlock(page, 'Front desk');
      await expect.poll(() => errorText(page)).toMatch(/could not be decrypted/);
    } finally {
      await context.close();
    }
  });

  it('says clearly when the server cannot be reached', async () => {
    const unreachable = encodeShlink(
      { url: `http://127.0.0.1:9/shl/${'a'.repeat(43)}`, key: generateShlKey() },
      { viewerUrl: viewer() },
    );
    const { context, page } = await openPage(browser, unreachable);
    try {
      await unlock(page, 'Front desk');
      await expect.poll(() => errorText(page)).toMatch(/could not be reached/);
    } finally {
      await context.close();
    }
  });

  it('refuses a link of an unsupported version before any request', async () => {
    const link = await server.createLink({ content: minimal });
    // Encoded by hand: core's encoder (rightly) refuses to write a version it does not support.
    const json = JSON.stringify({ ...link.payload, v: 2 });
    const v2 = `${viewer()}#shlink:/${encodeBase64url(utf8(json))}`;
    const { context, page, traffic } = await openPage(browser, v2);
    try {
      await expect.poll(() => errorText(page)).toMatch(/newer version/);
      expect(traffic.urls.filter((url) => url.startsWith(link.payload.url))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says a file that is not FHIR cannot be shown (zero-knowledge link encrypted by the test)', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile(JSON.stringify({ hello: 'world' }), key, {
      contentType: 'application/fhir+json',
    });
    const created = await server.createLink({ files: [{ contentType: 'application/fhir+json', jwe }] });
    expect(created.payload.key).toBeUndefined();
    const link = encodeShlink({ ...(created.payload as ShlPayload), key }, { viewerUrl: viewer() });
    const { context, page } = await openPage(browser, link);
    try {
      await unlock(page, 'Front desk');
      await expect.poll(() => errorText(page)).toMatch(/not a FHIR health record/);
    } finally {
      await context.close();
    }
  });

  it('shows a SMART Health Card with its issuer, verified against the issuer’s keys, or "could not verify" offline', async () => {
    const card = readSample('shc/example-00-e-file.smart-health-card');
    const link = await server.createLink({
      files: [{ contentType: 'application/smart-health-card', content: card }],
    });
    const issuerKeys = '**/.well-known/jwks.json';
    for (const online of [true, false]) {
      const { context, page } = await openPage(browser, 'about:blank');
      try {
        // The issuer lives on the internet; the test answers for it (or cuts it off) inside the browser.
        await page.route(issuerKeys, (route) =>
          online
            ? route.fulfill({
                status: 200,
                headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
                body: readSample('shc/issuer-jwks.json'),
              })
            : route.abort('internetdisconnected'),
        );
        await page.goto(link.viewerUrl);
        await unlock(page, 'Vaccination centre');
        await page.getByTestId('shc-status').waitFor();
        expect(await page.getByTestId('shc-issuer').textContent()).toBe(
          'https://spec.smarthealth.cards/examples/issuer',
        );
        expect(await page.getByTestId('shc-status').textContent()).toMatch(
          online ? /^Signature verified/ : /could not be checked/,
        );
        await screenshot(page, online ? 'shc-verified' : 'shc-offline');
      } finally {
        await context.close();
      }
    }
  });

  it('speaks Spanish to a Spanish browser', async () => {
    const link = await server.createLink({ content: minimal, passcode: 'clave segura' });
    const { context, page } = await openPage(browser, link.viewerUrl, 'es-ES');
    try {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Información de salud compartida',
      );
      expect(await page.getByTestId('link-passcode').textContent()).toBe(
        'Se necesita un código de acceso para abrirlo.',
      );
      await page.getByLabel('Su nombre u organización').fill('Centro de salud');
      await page.getByLabel('Código de acceso').fill('clave segura');
      await page.getByRole('button', { name: 'Abrir' }).click();
      await page.getByTestId('patient-name').waitFor();
      // Bare FHIR codes are named in Spanish too, not only the interface.
      const allergies = page.locator('[data-section="allergies"]');
      expect(await allergies.locator('th').first().textContent()).toBe('Sustancia');
      expect(await allergies.locator('td[data-column="status"]').first().textContent()).toBe('activo');
      expect(await allergies.locator('td[data-column="criticality"]').first().textContent()).toBe('alta');
      await screenshot(page, 'spanish');
    } finally {
      await context.close();
    }
  });
});

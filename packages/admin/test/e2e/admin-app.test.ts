import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { decodeShlink } from '@shlkit/core';
import { loadConfig, type RunningServer, startServer } from '@shlkit/server';
import type JsQr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../../test-support/chromium.js';
import { readSample, samplePath } from '../../../../test-support/samples.js';
import { testDatabases } from '../../../server/test/support/databases.js';
import { viewerDist } from '../../../viewer/test/e2e/build-viewer.js';
import { adminDist } from './build-admin.js';

const artifactsDir = fileURLToPath(new URL('../../../../test-artifacts/admin/', import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// jsqr is CommonJS: its module.exports is the decoder.
const jsQR = require('jsqr') as typeof JsQr.default;

const USER = 'admin';
const PASSWORD = 'correct-horse-battery-staple';
const OPERATOR = 'olivia';
const OPERATOR_PASSWORD = 'operator-password-2026';
// Untrusted text: it must show as these characters, never become markup.
const LABEL = '<b>Martha</b> & summary';
const VIEWER_RECIPIENT = 'Ward <u>7</u>';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** axe-core in the page: no serious or critical violation. */
const expectAccessible = async (page: Page, where: string) => {
  // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses an injected script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${where}: ${JSON.stringify(bad)}`).toEqual([]);
};

const expectNoHorizontalOverflow = async (page: Page, where: string) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${where} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
};

/** Phone and desktop screenshots of the page as it is now, then back to phone width. */
const screenshots = async (page: Page, name: string) => {
  await page.screenshot({ path: `${artifactsDir}${name}-390.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${artifactsDir}${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
};

const databases = testDatabases();

/** A small FHIR endpoint: the minimal IPS sample at `Patient/martha/$summary`, 404 for anyone else. */
const startFhirEndpoint = async (): Promise<{ url: string; server: Server }> => {
  const ips = readSample('ips/IPS_IG_bundle-minimal.json');
  const server = createServer((req, res) => {
    const found = req.url === '/fhir/Patient/martha/$summary';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/fhir+json' });
    res.end(
      found
        ? ips
        : JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Patient not found' }],
          }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/fhir`, server };
};

describe.skipIf(!chromiumAvailable('admin e2e'))('the admin app in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(databases.map((db) => [db.name, db] as const))('on %s', (dbName, database) => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let fhir: { url: string; server: Server };
    beforeAll(async () => {
      fhir = await startFhirEndpoint();
      const created = await database.create();
      drop = created.drop;
      server = await startServer({
        config: loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          ...created.env,
          SHL_DEMO: 'false',
          ADMIN_DIR: adminDist,
          VIEWER_DIR: viewerDist,
          FHIR_BASE_URL: fhir.url,
          SHL_ADMIN_USER: USER,
          SHL_ADMIN_PASSWORD: PASSWORD,
          LOG_LEVEL: 'silent',
        }),
      });
    });
    afterAll(async () => {
      await server?.close();
      await drop?.();
      fhir?.server.close();
    });

    it('signs in to the dashboard, creates links from a file and from FHIR (previewed first), sees QR, live log and the access on the dashboard, re-fetches an L link, revokes, audits, manages users and keys, signs out; an operator cannot manage users', async () => {
      const shots = dbName === 'PGlite';
      const page = await browser.newPage({ viewport: PHONE });
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${server.url}/admin/`);
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        await expectAccessible(page, 'sign-in');
        await expectNoHorizontalOverflow(page, 'sign-in');
        if (shots) await screenshots(page, 'sign-in');

        await page.getByLabel('User name').fill(USER);
        await page.getByLabel('Password').fill('not-the-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').getByText('do not match an account').waitFor();
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // The landing page is the dashboard.
        await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
        await page.getByText('No one has opened a link yet.').waitFor();

        // A state-changing request with the session cookie but without x-csrf-token is refused.
        const refused = await page.evaluate(async () => {
          const response = await fetch('/api/links', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ content: { resourceType: 'Patient' } }),
          });
          return { status: response.status, body: (await response.json()) as { error: { code: string } } };
        });
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('SHL_CSRF');

        await page.getByRole('link', { name: 'New link' }).first().click();
        await page.getByRole('heading', { name: 'New link' }).waitFor();
        await page.getByLabel('Or paste it').fill('{"resourceType": ');
        await page.getByRole('alert').getByText('This is not valid JSON').waitFor();
        await page.getByLabel('Or paste it').fill('{"hello": "world"}');
        await page.getByRole('alert').getByText('no valid "resourceType"').waitFor();
        await page.getByLabel('Or paste it').fill('');

        await page.getByLabel('Upload a file').setInputFiles(samplePath('ips/IPS_IG_bundle-minimal.json'));
        const preview = page.getByRole('region', { name: 'Preview' });
        await preview.getByText('International Patient Summary').waitFor();
        await preview.getByText('Martha DeLarosa').waitFor();
        await preview.getByText('Allergies and Intolerances: 1 entry').waitFor();
        await page.getByLabel(/^Label/).fill(LABEL);
        expect(await page.getByLabel('Passcode', { exact: true }).inputValue()).toMatch(
          /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/,
        );
        await expectAccessible(page, 'create');
        await expectNoHorizontalOverflow(page, 'create');
        if (shots) await screenshots(page, 'create');

        await page.getByRole('button', { name: 'Create link' }).click();
        await page.getByText('The link is ready.').waitFor();
        const qr = page.getByRole('img', { name: 'QR code of the link' });
        await qr.waitFor();
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('img.qr');
          return img !== null && img.complete && img.naturalWidth > 0;
        });
        const shlink = await page.getByLabel('Link', { exact: true }).inputValue();
        expect(shlink).toMatch(/\/view#shlink:\//);
        // The code on screen reads back, with an independent decoder, to exactly that link.
        const pixels = await page.evaluate(() => {
          const img = document.querySelector<HTMLImageElement>('img.qr');
          if (img === null) throw new Error('no QR image');
          const canvas = document.createElement('canvas');
          canvas.width = 400;
          canvas.height = 400;
          const context = canvas.getContext('2d');
          if (context === null) throw new Error('no canvas');
          context.fillStyle = '#fff';
          context.fillRect(0, 0, 400, 400);
          context.imageSmoothingEnabled = false;
          context.drawImage(img, 20, 20, 360, 360);
          return Array.from(context.getImageData(0, 0, 400, 400).data);
        });
        expect(jsQR(Uint8ClampedArray.from(pixels), 400, 400)?.data).toBe(shlink);
        const [png] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Download PNG' }).click(),
        ]);
        expect(png.suggestedFilename()).toMatch(/^shl-.+\.png$/);
        const pngBytes = readFileSync(await png.path());
        expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(LABEL);
        expect(await page.locator('h1 b').count()).toBe(0);
        await page.getByText('Active: receivers need the passcode.').waitFor();

        // The link's own management token is shown this once, folded away, and reads this link only.
        await page.getByText('Management token for a patient app (shown only now)').click();
        const managementToken = (await page.locator('details p.mono').textContent()) ?? '';
        expect(managementToken).toMatch(/^shlm_/);
        const linkId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
        const ownLink = await fetch(`${server.url}/api/links/${linkId}`, {
          headers: { authorization: `Bearer ${managementToken}` },
        });
        expect(ownLink.status).toBe(200);
        expect(((await ownLink.json()) as { label: string }).label).toBe(LABEL);

        // A receiver opens it: the access shows in the live log without a reload, its name as text.
        await page.getByText('Live: new accesses appear as they happen.').waitFor();
        const passcode = (await page.locator('strong.mono').textContent()) ?? '';
        const manifest = await fetch(decodeShlink(shlink).url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ recipient: 'Dr <i>Who</i>', passcode }),
        });
        expect(manifest.status).toBe(200);
        await page.getByRole('cell', { name: 'Dr <i>Who</i>' }).waitFor();
        expect(await page.locator('table.accesses i').count()).toBe(0);
        // The link's counts follow the live log: one use.
        await expect.poll(() => page.locator('.facts dt:text-is("Uses") + dd').textContent()).toBe('1');
        // An admin is shown who made the link: the account that signed in.
        expect(await page.locator('.facts dt:text-is("Owner") + dd').textContent()).toBe(USER);
        await expectAccessible(page, 'link');
        await expectNoHorizontalOverflow(page, 'link');
        if (shots) await screenshots(page, 'link');

        // A receiver opens it in the viewer, in another page: the dashboard lists that access, names as text.
        const reader = await browser.newPage({ viewport: PHONE });
        reader.setDefaultTimeout(10_000);
        try {
          await reader.goto(shlink);
          await reader.getByLabel('Your name or organisation').fill(VIEWER_RECIPIENT);
          await reader.getByLabel(/^passcode$/i).fill(passcode);
          await reader.getByRole('button', { name: /^open$/i }).click();
          await reader.getByTestId('patient-name').waitFor();
        } catch (error) {
          await reader.screenshot({ path: `${artifactsDir}failure-reader-${dbName}.png`, fullPage: true });
          throw error;
        } finally {
          await reader.close();
        }
        await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
        await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
        const recent = page.locator('table.recent tbody tr').first();
        await recent.getByRole('cell', { name: VIEWER_RECIPIENT }).waitFor();
        await recent.getByRole('link', { name: LABEL }).waitFor();
        expect(await recent.getByRole('cell', { name: 'served' }).count()).toBe(1);
        expect(await page.locator('table.recent u, table.recent b').count()).toBe(0);
        await expect.poll(() => page.locator('.tiles dt:text-is("Opened") + dd').textContent()).toBe('1');
        await expectAccessible(page, 'dashboard');
        await expectNoHorizontalOverflow(page, 'dashboard');
        if (shots) await screenshots(page, 'dashboard');

        // From the FHIR server: previewed first (an unknown patient is explained), then created.
        await page.getByRole('link', { name: 'New link' }).first().click();
        await page.getByLabel('The FHIR server', { exact: false }).check();
        await page.getByLabel('Patient id on the FHIR server').fill('nobody');
        await page.getByLabel(/^Label/).fill('From the FHIR server');
        await page.getByLabel('Long-term (L)', { exact: false }).check();
        const createButton = page.getByRole('button', { name: 'Create link' });
        expect(await createButton.isDisabled()).toBe(true);
        await page.getByRole('button', { name: 'Preview', exact: true }).click();
        await page.getByRole('alert').getByText('The FHIR server did not give the summary').waitFor();
        expect(await createButton.isDisabled()).toBe(true);
        await page.getByLabel('Patient id on the FHIR server').fill('martha');
        await page.getByRole('button', { name: 'Preview', exact: true }).click();
        const fhirPreview = page.getByRole('region', { name: 'Preview' });
        await fhirPreview.getByText('International Patient Summary').waitFor();
        await fhirPreview.getByText('Martha DeLarosa').waitFor();
        await fhirPreview.getByText('Allergies and Intolerances: 1 entry').waitFor();
        await expectAccessible(page, 'create-from-fhir');
        await expectNoHorizontalOverflow(page, 'create-from-fhir');
        if (shots) await screenshots(page, 'create-from-fhir');
        await createButton.click();
        await page.getByText('The link is ready.').waitFor();
        await expect
          .poll(() => page.getByRole('heading', { level: 1 }).textContent())
          .toBe('From the FHIR server');
        // A long-term link's content can be replaced from a file.
        await page
          .getByLabel(/^Replace the content/)
          .setInputFiles(samplePath('ips/IPS_IG_bundle-minimal.json'));
        await page.getByRole('button', { name: 'Replace content' }).click();
        await page.getByText('The content is replaced').waitFor();
        // ... or fetched again from the FHIR server; an unknown patient is explained and changes nothing.
        await page.getByLabel(/^Fetch the content again/).fill('nobody');
        await page.getByRole('button', { name: 'Fetch again' }).click();
        await page.getByRole('alert').getByText('The FHIR server did not give the summary').waitFor();
        await page.getByLabel(/^Fetch the content again/).fill('martha');
        await page.getByRole('button', { name: 'Fetch again' }).click();
        await page.getByText('The content is fetched again from the FHIR server').waitFor();
        await expectAccessible(page, 'link-long-term');
        await expectNoHorizontalOverflow(page, 'link-long-term');
        if (shots) await screenshots(page, 'link-long-term');

        await page.getByRole('link', { name: 'Links', exact: true }).click();
        const row = page.getByRole('link', { name: LABEL });
        await row.waitFor();
        expect(await page.locator('table.links b').count()).toBe(0);
        await expectAccessible(page, 'links');
        await expectNoHorizontalOverflow(page, 'links');
        if (shots) await screenshots(page, 'links');

        // Search by label runs on the server (q), as do the status filter and the sort.
        await page.getByLabel('Search labels').fill('no such label');
        await page.getByText('No links match.').waitFor();
        await page.getByLabel('Search labels').fill('MARTHA');
        await row.waitFor();
        await page.getByLabel('Sort').selectOption({ label: 'Expiring soonest' });
        await page.getByLabel('Status').selectOption('active');
        await row.waitFor();

        await row.click();
        await page.getByRole('button', { name: 'Revoke…' }).click();
        await page.getByRole('button', { name: 'Revoke for good' }).click();
        await page.getByText(/Revoked on .*; its content is deleted\./).waitFor();
        expect(await qr.count()).toBe(0);
        // The viewer, in another page, now says the link is no longer available.
        const viewer = await browser.newPage({ viewport: PHONE });
        viewer.setDefaultTimeout(10_000);
        try {
          await viewer.goto(shlink);
          await viewer.getByLabel('Your name or organisation').fill('Dr Who');
          await viewer.getByLabel(/^passcode$/i).fill(passcode);
          await viewer.getByRole('button', { name: /^open$/i }).click();
          await viewer.getByTestId('inactive').waitFor();
          expect(await viewer.getByRole('heading', { level: 1 }).textContent()).toBe(
            'This link is no longer available',
          );
        } catch (error) {
          await viewer.screenshot({ path: `${artifactsDir}failure-viewer-${dbName}.png`, fullPage: true });
          throw error;
        } finally {
          await viewer.close();
        }
        if (shots) await screenshots(page, 'link-revoked');

        // The audit trail shows what was done; an admin manages users and API keys.
        await page.getByRole('link', { name: 'Audit log' }).click();
        await page.getByRole('cell', { name: 'link.revoked' }).first().waitFor();
        await page.getByRole('cell', { name: 'link.created' }).first().waitFor();
        await page.getByRole('cell', { name: 'link.content-replaced' }).first().waitFor();
        await expectAccessible(page, 'audit');
        await expectNoHorizontalOverflow(page, 'audit');
        if (shots) await screenshots(page, 'audit');

        await page.getByRole('link', { name: 'Users' }).click();
        await page.getByLabel('User name').fill(OPERATOR);
        await page.getByLabel(/^Password/).fill(PASSWORD);
        await page.getByRole('button', { name: 'Create user' }).click();
        await page.getByRole('cell', { name: OPERATOR }).first().waitFor();
        await page.getByLabel(`New password for ${OPERATOR}`).fill(OPERATOR_PASSWORD);
        await page.getByRole('button', { name: 'Set password' }).nth(1).click();
        await expect.poll(() => page.getByLabel(`New password for ${OPERATOR}`).inputValue()).toBe('');
        await expectAccessible(page, 'users');
        await expectNoHorizontalOverflow(page, 'users');
        if (shots) await screenshots(page, 'users');

        await page.getByRole('link', { name: 'API keys' }).click();
        await page.getByLabel(/^Name/).fill('ward printer');
        // A key for a device that only makes links: links:create, not admin.
        await page.getByRole('checkbox', { name: /^links:create/ }).check();
        await page.getByRole('checkbox', { name: /^admin/ }).uncheck();
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.getByText('it is not shown again').waitFor();
        await page.getByRole('cell', { name: 'ward printer' }).first().waitFor();
        // The only key, listed with exactly the scope chosen.
        // (on a phone the cell's name starts with its column, from CSS: "Scopes links:create")
        await page.getByRole('cell', { name: /(^|\s)links:create$/ }).waitFor();
        await expectAccessible(page, 'keys');
        await expectNoHorizontalOverflow(page, 'keys');
        if (shots) await screenshots(page, 'keys');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByText('You are signed out.').waitFor();
        const after = await page.evaluate(async () => (await fetch('/api/session')).status);
        expect(after).toBe(401);

        // An operator sees links, not user or key management, and the server refuses it too.
        await page.getByLabel('User name').fill(OPERATOR);
        await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // Signing in again keeps the page one was on: the API keys page, which is not for operators.
        await page.getByRole('heading', { name: 'Admins only' }).waitFor();
        await page.getByRole('link', { name: 'Links' }).click();
        await page.getByRole('link', { name: LABEL }).waitFor();
        expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
        expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
        await page.goto(`${server.url}/admin/users`);
        await page.getByRole('heading', { name: 'Admins only' }).waitFor();
        const forbidden = await page.evaluate(async () => {
          const response = await fetch('/api/users');
          return {
            status: response.status,
            code: ((await response.json()) as { error: { code: string } }).error.code,
          };
        });
        expect(forbidden).toEqual({ status: 403, code: 'SHL_FORBIDDEN' });
        expect(errors).toEqual([]);
      } catch (error) {
        await page.screenshot({ path: `${artifactsDir}failure-${dbName}.png`, fullPage: true });
        throw error;
      } finally {
        await page.close();
      }
    }, 120_000);
  });
});

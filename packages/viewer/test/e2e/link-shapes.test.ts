import { type Bundle, encodeBase64url, utf8 } from '@shlkit/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../../test-support/chromium.js';
import { readSampleJson } from '../../../../test-support/samples.js';
import { viewerDist } from './build-viewer.js';
import { pageText, screenshot, type Traffic, unlock } from './page-helpers.js';
import { type CreatedLink, type SharingServer, startSharingServer } from './sharing-server.js';

// Issue 11, the link and manifest shapes as the viewer meets them, at a phone's width and a desktop's.
const minimal = readSampleJson<Bundle>('ips/IPS_IG_bundle-minimal.json');
const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
type ViewportName = keyof typeof VIEWPORTS;
const WIDTHS = Object.keys(VIEWPORTS) as ViewportName[];

/** A link's text, encoded by hand: these payloads break sender rules that core's encoder enforces. */
const rawViewerLink = (viewer: string, payload: Record<string, unknown>): string =>
  `${viewer}#shlink:/${encodeBase64url(utf8(JSON.stringify(payload)))}`;

/** A fresh context at one width; `prepare` runs before the first navigation (routes, a fake clock). */
const openAt = async (
  browser: Browser,
  url: string,
  viewport: ViewportName,
  prepare: (page: Page) => Promise<unknown> = async () => {},
): Promise<{ context: BrowserContext; page: Page; traffic: Traffic }> => {
  const context = await browser.newContext({ locale: 'en-US', viewport: VIEWPORTS[viewport] });
  const page = await context.newPage();
  const traffic: Traffic = { urls: [], bodies: [] };
  page.on('request', (request) => {
    traffic.urls.push(request.url());
    traffic.bodies.push(request.postData() ?? '');
  });
  await prepare(page);
  await page.goto(url);
  return { context, page, traffic };
};

/** Answers the link's manifest requests from the real server, changed by `edit`. */
const editManifest = (
  page: Page,
  link: CreatedLink,
  edit: (manifest: { status?: string; files: Record<string, unknown>[] }) => void,
) =>
  page.route(link.payload.url, async (route) => {
    const response = await route.fetch();
    const manifest = (await response.json()) as { status?: string; files: Record<string, unknown>[] };
    edit(manifest);
    await route.fulfill({ response, json: manifest });
  });

/** True when `first` comes before `second` in the page. */
const comesBefore = (page: Page, first: string, second: string) =>
  page.evaluate(
    ([a, b]) => {
      const one = document.querySelector(`[data-testid="${a}"]`);
      const two = document.querySelector(`[data-testid="${b}"]`);
      return Boolean(one && two && one.compareDocumentPosition(two) & Node.DOCUMENT_POSITION_FOLLOWING);
    },
    [first, second] as const,
  );

describe.skipIf(!chromiumAvailable('the viewer e2e tests'))('the viewer and issue 11’s link shapes', () => {
  let browser: Browser;
  let server: SharingServer;
  const viewer = () => `${server.url}/view`;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startSharingServer(viewerDist)]);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  it.each(WIDTHS)('warns before the content when the manifest says no-longer-valid (%s)', async (width) => {
    const link = await server.createLink({ content: minimal });
    const { context, page } = await openAt(browser, link.viewerUrl, width, (p) =>
      editManifest(p, link, (manifest) => {
        manifest.status = 'no-longer-valid';
      }),
    );
    try {
      await unlock(page, 'Front desk');
      await page.getByTestId('patient-name').waitFor();
      const warning = page.getByTestId('withdrawn');
      expect(await warning.getByRole('heading').textContent()).toBe('Withdrawn by the sender');
      expect(await warning.textContent()).toContain('marked this information as no longer valid');
      expect(await comesBefore(page, 'withdrawn', 'patient-name')).toBe(true);
      // Keyboard and screen-reader users land on the warning first.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Withdrawn by the sender');
      await screenshot(page, `withdrawn-${width}`, false);
    } finally {
      await context.close();
    }
  });

  it.each(['entered-in-error', 'retracted'])(
    'names a file a ballot-draft server marks %s, before the content',
    async (status) => {
      const link = await server.createLink({ content: minimal });
      const { context, page } = await openAt(browser, link.viewerUrl, 'phone', (p) =>
        editManifest(p, link, (manifest) => {
          for (const file of manifest.files) file.status = status;
        }),
      );
      try {
        await unlock(page, 'Front desk');
        await page.getByTestId('patient-name').waitFor();
        expect(await page.getByTestId('withdrawn').textContent()).toContain(
          `The file is marked “${status.replace(/-/g, ' ')}”.`,
        );
        expect(await comesBefore(page, 'withdrawn', 'patient-name')).toBe(true);
        if (status === 'entered-in-error') await screenshot(page, 'file-entered-in-error-phone', false);
      } finally {
        await context.close();
      }
    },
  );

  it('names a status it does not know, and shows no withdrawal warning for it', async () => {
    const link = await server.createLink({ content: minimal });
    const { context, page } = await openAt(browser, link.viewerUrl, 'phone', (p) =>
      editManifest(p, link, (manifest) => {
        manifest.status = 'paused';
      }),
    );
    try {
      await unlock(page, 'Front desk');
      await page.getByTestId('patient-name').waitFor();
      expect(await page.getByTestId('unknown-status').textContent()).toContain(
        'a status this viewer does not know: “paused”',
      );
      expect(await page.getByTestId('withdrawn').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it.each(WIDTHS)(
    'says an L link has nothing yet and when it checks again, then shows what the sender added (%s)',
    async (width) => {
      const link = await server.createLink({ content: minimal, longTerm: true });
      let answered = 0;
      const start = new Date('2026-03-01T09:00:00Z');
      const { context, page, traffic } = await openAt(browser, link.viewerUrl, width, async (p) => {
        await p.clock.install({ time: start });
        // The first answer is an L link the sender has not filled yet; later ones are the real manifest.
        await p.route(link.payload.url, async (route) => {
          answered += 1;
          if (answered === 1) {
            await route.fulfill({
              status: 200,
              headers: { 'access-control-allow-origin': '*' },
              json: { status: 'can-change', files: [] },
            });
          } else {
            await route.continue();
          }
        });
      });
      try {
        // Time stands still from here, so the time the page names is known; runFor moves it on.
        const answeredAt = start.getTime() + 30_000;
        await page.clock.pauseAt(answeredAt);
        await unlock(page, 'Dr. Waiting');
        await page.getByTestId('empty-link').waitFor();
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
          'Nothing has been shared yet',
        );
        expect(await page.getByTestId('empty-link').textContent()).toContain(
          'The sender has not added anything to this link yet.',
        );
        const expected = await page.evaluate(
          (at) => new Date(at).toLocaleTimeString('en'),
          answeredAt + 60_000,
        );
        expect(await page.getByTestId('next-check').textContent()).toBe(
          `This page checks again at ${expected}.`,
        );
        expect(await page.getByRole('button', { name: 'Check now' }).isVisible()).toBe(true);
        await screenshot(page, `empty-l-link-${width}`);

        await page.clock.runFor(61_000);
        await page.getByTestId('patient-name').waitFor();
        expect(traffic.urls.filter((url) => url === link.payload.url)).toHaveLength(2);
      } finally {
        await context.close();
      }
    },
  );

  it('says a link that cannot change shared nothing, and does not check again', async () => {
    const link = await server.createLink({ content: minimal });
    const { context, page } = await openAt(browser, link.viewerUrl, 'phone', (p) =>
      p.route(link.payload.url, (route) =>
        route.fulfill({
          status: 200,
          headers: { 'access-control-allow-origin': '*' },
          json: { status: 'finalized', files: [] },
        }),
      ),
    );
    try {
      await unlock(page, 'Front desk');
      await page.getByTestId('empty-link').waitFor();
      expect(await page.getByTestId('empty-link').textContent()).toContain(
        'The sender has shared nothing under this link.',
      );
      expect(await page.getByTestId('next-check').count()).toBe(0);
      expect(await page.getByTestId('check-now').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it.each<[string, number]>([
    ['in milliseconds', 1_900_000_000_000],
    ['absurdly far', 1e20],
  ])('never shows an invalid date for an exp %s, and still opens the link', async (name, exp) => {
    const created = await server.createLink({ content: minimal });
    const url = rawViewerLink(viewer(), { ...created.payload, exp });
    const { context, page } = await openAt(browser, url, 'phone');
    try {
      const expiry = await page.getByTestId('link-expiry').textContent();
      expect(expiry).toBe(
        'The expiry date in this link cannot be read (it may be written in milliseconds). The server decides when the link stops working.',
      );
      const text = await pageText(page);
      expect(text).not.toMatch(/Invalid Date|58903/);
      if (name === 'in milliseconds') await screenshot(page, 'expiry-milliseconds-phone');
      await unlock(page, 'Front desk');
      await page.getByTestId('patient-name').waitFor();
    } finally {
      await context.close();
    }
  });

  it.each(WIDTHS)(
    'opens a link pasted with the whole e-mail: quoted, wrapped, in <...>, with a full stop (%s)',
    async (width) => {
      const link = await server.createLink({ content: minimal, label: 'Summary for the walk-in clinic' });
      const wrapped = (link.viewerUrl.match(/.{1,60}/g) ?? []).join('\n> ');
      const mail = `> Hello,\n> here is my summary: <${wrapped}>.\n> Thanks, Sam`;
      const { context, page } = await openAt(browser, viewer(), width);
      try {
        await page.getByLabel(/SMART Health Link/).fill(mail);
        await screenshot(page, `pasted-mail-${width}`);
        await page.getByRole('button', { name: /open link/i }).click();
        expect(await page.getByTestId('link-label').textContent()).toBe('Summary for the walk-in clinic');
        await unlock(page, 'Walk-in clinic');
        await page.getByTestId('patient-name').waitFor();
      } finally {
        await context.close();
      }
    },
  );

  it('opens a viewer URL whose fragment says SHLINK:/ in capitals', async () => {
    const link = await server.createLink({ content: minimal, label: 'Capitals' });
    const upper = link.viewerUrl.replace('#shlink:/', '#SHLINK:/');
    const { context, page } = await openAt(browser, upper, 'phone');
    try {
      expect(await page.getByTestId('link-label').textContent()).toBe('Capitals');
    } finally {
      await context.close();
    }
  });
});

describe.skipIf(!chromiumAvailable('the viewer e2e tests'))('the viewer over plain http', () => {
  let browser: Browser;
  let server: SharingServer;
  // A name that is not localhost: a page from it over http is not a secure context, so it has no
  // crypto.subtle, as on a phone that opens http://192.168.1.20:3000/view. The resolver rule sends the name
  // to the local server.
  const HOST = 'viewer.insecure.test';

  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`, '--disable-features=HttpsUpgrades']),
      startSharingServer(viewerDist),
    ]);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  it.each(WIDTHS)(
    'says the viewer must be served over HTTPS, before anything is fetched (%s)',
    async (width) => {
      const link = await server.createLink({ content: minimal, label: 'Over plain http' });
      const insecure = link.viewerUrl.replace(new URL(server.url).hostname, HOST);
      expect(new URL(insecure).hostname).toBe(HOST);
      const { context, page, traffic } = await openAt(browser, insecure, width);
      try {
        expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle])).toEqual([
          false,
          'undefined',
        ]);
        const notice = page.getByTestId('insecure-context');
        expect(await notice.getByRole('heading').textContent()).toBe('This viewer must be served over HTTPS');
        expect(await page.getByTestId('link-label').textContent()).toBe('Over plain http');
        // No form to fill: nothing would decrypt, and the sharer's log would show an access anyway.
        expect(await page.getByLabel(/name or organisation/i).count()).toBe(0);
        expect(traffic.urls.filter((url) => url.includes('/shl/'))).toEqual([]);
        await screenshot(page, `insecure-http-${width}`);
      } finally {
        await context.close();
      }
    },
  );

  it('warns on the entry page too', async () => {
    const { context, page } = await openAt(
      browser,
      `http://${HOST}:${new URL(server.url).port}/view`,
      'phone',
    );
    try {
      await page.getByTestId('insecure-context').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Open a SMART Health Link');
    } finally {
      await context.close();
    }
  });
});

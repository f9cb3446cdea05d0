import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const artifactsDir = fileURLToPath(new URL('../../../../test-artifacts/viewer/', import.meta.url));

export const screenshot = async (page: Page, name: string, fullPage = true): Promise<void> => {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: `${artifactsDir}${name}.png`, fullPage });
};

/** Every request the page makes, to check that nothing goes to a third party and no key leaves the page. */
export interface Traffic {
  urls: string[];
  bodies: string[];
}

/** A fresh context per test: its own localStorage, so the remembered recipient does not leak across tests. */
export const openPage = async (browser: Browser, url: string, locale = 'en-US') => {
  const context = await browser.newContext({ locale, viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  const traffic: Traffic = { urls: [], bodies: [] };
  page.on('request', (request) => {
    traffic.urls.push(request.url());
    traffic.bodies.push(request.postData() ?? '');
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  // A CSP violation (an inline style or script slipping in) is a defect even when nothing breaks visibly.
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
  await page.goto(url);
  return { context, page, traffic, errors, cspViolations };
};

/** Enter the recipient (and passcode) and open the link. */
export const unlock = async (page: Page, recipient: string, passcode?: string): Promise<void> => {
  await page.getByLabel(/name or organisation/i).fill(recipient);
  if (passcode !== undefined) await page.getByLabel(/^passcode$/i).fill(passcode);
  await page.getByRole('button', { name: /^open$/i }).click();
};

/** Click every "Show N more" until all rows of every table are in the page. */
export const showAllRows = async (page: Page): Promise<void> => {
  for (;;) {
    const more = page.getByRole('button', { name: /^show \d+ more$/i });
    if ((await more.count()) === 0) return;
    await more.first().click();
  }
};

/** What a reader sees: `innerText` leaves out hidden text, which `textContent` would wrongly count. */
export const pageText = (page: Page): Promise<string> =>
  // innerText, not textContent: what a person sees is the point here.
  page.evaluate(() => document.body.innerText);

/**
 * Stands in for a camera: `getUserMedia` answers a canvas stream that shows the given image. Only the
 * browser's device is faked; the viewer's own scanning code (BarcodeDetector or jsQR) runs as it is.
 */
export const fakeCamera = (imageDataUrl: string) => {
  const image = new Image();
  image.src = imageDataUrl;
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 640;
  const context = canvas.getContext('2d');
  const draw = () => {
    if (!context) return;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (image.complete && image.naturalWidth > 0) context.drawImage(image, 20, 20, 600, 600);
  };
  setInterval(draw, 100);
  Object.defineProperty(navigator, 'mediaDevices', {
    value: {
      getUserMedia: async () => {
        draw();
        return canvas.captureStream(10);
      },
    },
  });
};

import type { Bundle } from '@shlkit/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSampleJson } from '../../../../test-support/samples.js';
import { chromiumAvailable, launchChromium } from '../../../../test-support/chromium.js';
import {
  clinicalDocument,
  expectedDosages,
  expectedLabValues,
  summarySearchset,
} from '../fixtures/clinical-bundles.js';
import { viewerDist } from './build-viewer.js';
import { normalizeSpace } from './expected-text.js';
import { artifactsDir, openPage, pageText, screenshot, showAllRows, unlock } from './page-helpers.js';
import { type SharingServer, startSharingServer } from './sharing-server.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 1000 };
// The reader's today, fixed so the age on the page is known: the patient was born on 1980-06-15.
const TODAY = new Date('2025-06-14T10:00:00');

/** Open a link to `content` in a fresh page of the given size and language, the clock set to TODAY. */
const open = async (
  browser: Browser,
  server: SharingServer,
  content: unknown,
  viewport: { width: number; height: number },
  locale = 'en-US',
) => {
  const link = await server.createLink({ content });
  const opened = await openPage(browser, 'about:blank', locale);
  await opened.page.setViewportSize(viewport);
  await opened.page.clock.setFixedTime(TODAY);
  await opened.page.goto(link.viewerUrl);
  if (locale.startsWith('es')) {
    await opened.page.getByLabel(/nombre u organización/i).fill('Dra. Prueba');
    await opened.page.getByRole('button', { name: /^abrir$/i }).click();
  } else {
    await unlock(opened.page, 'Dr. Test');
  }
  await opened.page.getByTestId('patient-name').waitFor();
  return opened;
};

/** The rows of a section's tables, as a reader sees them: one string per row. */
const rowTexts = (page: Page, section: string) =>
  page
    .locator(`[data-section="${section}"] tbody tr:not(.details-row)`)
    .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));

describe.skipIf(!chromiumAvailable('the viewer e2e tests'))(
  'every clinical value reaches the clinician',
  () => {
    let browser: Browser;
    let server: SharingServer;

    beforeAll(async () => {
      [browser, server] = await Promise.all([launchChromium(), startSharingServer(viewerDist)]);
    });

    afterAll(async () => {
      await Promise.all([browser?.close(), server?.close()]);
    });

    it.each([
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const)(
      'shows every nested lab value with its unit, range and flag, grouped under its panel (%s)',
      async (name, viewport) => {
        const { context, page, errors, cspViolations } = await open(
          browser,
          server,
          clinicalDocument(),
          viewport,
        );
        try {
          const rows = await rowTexts(page, 'results');
          for (const { test, value } of expectedLabValues) {
            const row = rows.find((text) => text.includes(test));
            expect(row, test).toBeDefined();
            expect(row, test).toContain(value);
          }
          const neutrophils = page.locator('[data-section="results"] tr', { hasText: 'Neutrophils' });
          expect(await neutrophils.getAttribute('data-depth')).toBe('3');
          expect(await neutrophils.innerText()).toMatch(/High/);
          expect(await neutrophils.innerText()).toContain('1.8 10*3/uL – 7.7 10*3/uL');
          // Indented under its panel: each level's name starts right of its panel's name.
          const indent = async (text: string) =>
            page
              .locator('[data-section="results"] tr', { hasText: text })
              .locator('td')
              .first()
              .evaluate(
                (cell) => parseFloat(getComputedStyle(cell).paddingLeft) + cell.getBoundingClientRect().x,
              );
          expect(await indent('Neutrophils')).toBeGreaterThan(await indent('CBC W Auto Differential'));
          expect(await indent('CBC W Auto Differential')).toBeGreaterThan(await indent('CBC panel'));
          expect(await indent('CBC panel')).toBeGreaterThan(await indent('Comprehensive metabolic'));
          expect(rows.find((row) => row.includes('Hemoglobin'))).toContain('Sample slightly haemolysed');
          // None of them is left for "other information".
          const unlisted = await page.locator('.unlisted').count();
          if (unlisted > 0) expect(await page.locator('.unlisted').innerText()).not.toContain('Observation');
          await page.locator('[data-section="results"]').scrollIntoViewIfNeeded();
          await screenshot(page, `clinical-results-${name}`);
          expect(errors).toEqual([]);
          expect(cspViolations).toEqual([]);
        } finally {
          await context.close();
        }
      },
    );

    it('names each entry by one coding, and says dosages as a clinician would', async () => {
      const { context, page } = await open(browser, server, clinicalDocument(), DESKTOP);
      try {
        const text = normalizeSpace(await pageText(page));
        expect(text).toContain('Penicillin');
        expect(text).not.toContain('phenobarbital');
        expect(text).not.toContain('Allergy to penicillin');
        expect(text).toContain('Metformin 2 g');
        expect(text).not.toContain('Metformin 1 g');
        expect(text).toContain('ATC J07BA01');
        expect(text).not.toContain('836403007');
        const medications = await rowTexts(page, 'medications');
        for (const { medication, en } of expectedDosages) {
          expect(medications.find((row) => row.includes(medication))).toContain(en);
        }
        expect(medications.find((row) => row.includes('Methotrexate'))).toContain(
          'Take 4 tablets every Monday',
        );
        await page.locator('[data-section="medications"]').scrollIntoViewIfNeeded();
        await screenshot(page, 'clinical-medications-desktop', false);
      } finally {
        await context.close();
      }
    });

    it('says dosages in Spanish to a Spanish reader', async () => {
      const { context, page } = await open(browser, server, clinicalDocument(), PHONE, 'es-ES');
      try {
        const medications = await rowTexts(page, 'medications');
        for (const { medication, es } of expectedDosages) {
          expect(medications.find((row) => row.includes(medication))).toContain(es);
        }
        expect(await page.getByTestId('patient-age').textContent()).toBe('44 años');
        await page.locator('[data-section="medications"]').scrollIntoViewIfNeeded();
        await screenshot(page, 'clinical-medications-phone-es', false);
      } finally {
        await context.close();
      }
    });

    it('shows the age today, named identifiers, and the document’s own date apart from the sharing time', async () => {
      const { context, page } = await open(browser, server, clinicalDocument(), PHONE);
      try {
        expect(await page.getByTestId('patient-age').textContent()).toBe('44 years');
        const banner = normalizeSpace(await page.locator('.patient-banner').innerText());
        expect(banner).toContain('SSN (US): 123-45-6789');
        expect(banner).toContain('NHI (NZ): ZZZ0016');
        expect(banner).not.toContain('us-ssn');
        // An unknown system is not hidden: it is shown small, under the value.
        expect(banner).toContain('MRN-0042');
        expect(await page.locator('.identifier-system').allTextContents()).toEqual([
          'https://hospital.example.org/mrn',
        ]);
        expect(await page.getByTestId('document-date').textContent()).toBe('2024-03-02 10:00');
        expect(normalizeSpace(await page.locator('.document-meta').innerText())).toContain('Document date');
        expect(await page.getByTestId('last-updated').textContent()).toMatch(/^Shared file updated /);
        await screenshot(page, 'clinical-banner-phone', false);
      } finally {
        await context.close();
      }
    });

    it('gives a deceased patient the age at death, not an age today', async () => {
      const bundle = clinicalDocument();
      const deceased = bundle.entry?.find((entry) => entry.resource?.resourceType === 'Patient')?.resource;
      if (deceased) deceased.deceasedDateTime = '2024-01-10T03:00:00Z';
      const { context, page } = await open(browser, server, bundle, PHONE);
      try {
        expect(await page.getByTestId('patient-age').count()).toBe(0);
        expect(await page.getByTestId('patient-deceased').textContent()).toBe(
          '2024-01-10 03:00, at 43 years',
        );
      } finally {
        await context.close();
      }
    });

    it.each([
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const)('keeps every detail readable when all of them are open (%s)', async (name, viewport) => {
      const large = readSampleJson<Bundle>('ips/full_ips.json');
      const { context, page } = await open(browser, server, large, viewport);
      try {
        for (const section of ['allergies', 'medications', 'results']) {
          const locator = page.locator(`[data-section="${section}"]`);
          const before = (await locator.boundingBox())?.height ?? 0;
          const toggles = locator.getByRole('button', { name: 'All details' });
          const count = await toggles.count();
          for (let index = 0; index < count; index += 1) await toggles.nth(index).click();
          await locator
            .locator('.details-row')
            .nth(count - 1)
            .waitFor();
          const after = (await locator.boundingBox())?.height ?? 0;
          await locator.screenshot({ path: `${artifactsDir}clinical-details-${section}-${name}.png` });
          // Every cell and every detail value keeps a readable width...
          const narrowest = await locator.locator('td, .generic dd').evaluateAll(
            (cells) =>
              cells
                .filter((cell) => (cell as HTMLElement).innerText.trim().length > 0)
                .map((cell) => ({
                  width: Math.round(cell.getBoundingClientRect().width),
                  text: (cell as HTMLElement).innerText.slice(0, 40),
                }))
                .sort((a, b) => a.width - b.width)[0],
          );
          expect(
            narrowest?.width,
            `${section}: narrowest ${JSON.stringify(narrowest)}`,
          ).toBeGreaterThanOrEqual(80);
          // ...and the section grows by the details, not by thousands of pixels of one-letter lines.
          expect(after / Math.max(count, 1), `${section}: height per opened row`).toBeLessThan(
            viewport.width < 500 ? 1800 : 900,
          );
          expect(before).toBeGreaterThan(0);
        }
        await page.locator('[data-section="allergies"] .details-row').first().scrollIntoViewIfNeeded();
        await screenshot(page, `clinical-details-open-${name}`, false);
      } finally {
        await context.close();
      }
    });

    it.each([
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const)(
      'shows a $summary answered as a searchset with the banner, a word of why, and grouped tables (%s)',
      async (name, viewport) => {
        const { context, page, errors } = await open(browser, server, summarySearchset(), viewport);
        try {
          expect(await page.getByTestId('patient-name').textContent()).toContain('Okafor');
          expect(await page.getByTestId('no-ips-structure').textContent()).toContain('no IPS structure');
          expect(await page.getByTestId('document-date').textContent()).toBe('2024-04-10 09:00');
          const headings = await page.locator('.ips-section h2').allTextContents();
          expect(headings).toEqual([
            'Allergies and intolerances',
            'Medications',
            'Problems',
            'Immunizations',
            'Results',
            'Vital signs',
            'Other information in the document',
          ]);
          const results = await rowTexts(page, 'results');
          for (const { test, value } of expectedLabValues.filter((v) => !/Sodium|Potassium/.test(v.test))) {
            expect(
              results.find((row) => row.includes(test)),
              test,
            ).toContain(value);
          }
          await showAllRows(page);
          await screenshot(page, `clinical-searchset-${name}`);
          expect(errors).toEqual([]);
        } finally {
          await context.close();
        }
      },
    );
  },
);

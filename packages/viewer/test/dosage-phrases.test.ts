import { describe, expect, it } from 'vitest';
import { dosagePhrase, formatDosage } from '../src/fhir/dosage.js';
import { formatTiming } from '../src/fhir/timing.js';
import { documentModel } from '../src/ips/document-model.js';
import { en } from '../src/i18n/en.js';
import { es } from '../src/i18n/es.js';
import { clinicalDocument, expectedDosages } from './fixtures/clinical-bundles.js';

const repeat = (fields: Record<string, unknown>) => ({ repeat: fields });

describe.each([
  [
    'en',
    en,
    {
      once: 'once daily',
      twice: 'twice daily',
      thrice: 'three times daily',
      six: '6 times daily',
      q8h: 'every 8 hours',
      hourly: 'every hour',
      q2d: 'every 2 days',
      weekly: 'once weekly',
      twiceWeekly: 'twice weekly',
      monthly: 'once monthly',
      range: 'every 4–6 hours',
      freqRange: '1–2 times daily',
      threeEvery2Days: 'three times every 2 days',
      noPeriod: 'three times',
      bedtime: 'once daily at bedtime',
      beforeBreakfast: 'once daily 30 minutes before breakfast',
      clock: 'twice daily at 08:00 and 20:00',
      days: 'once weekly on Monday and Thursday',
      course: 'twice daily, for 7 days',
      count: 'once daily, for 10 doses',
      infusion: 'every 8 hours over 30 minutes',
      bid: 'twice daily',
      unknownCode: 'Every other full moon',
      unknownUnit: 'twice / 1 fortnight',
    },
  ],
  [
    'es',
    es,
    {
      once: 'una vez al día',
      twice: 'dos veces al día',
      thrice: 'tres veces al día',
      six: '6 veces al día',
      q8h: 'cada 8 horas',
      hourly: 'cada hora',
      q2d: 'cada 2 días',
      weekly: 'una vez a la semana',
      twiceWeekly: 'dos veces a la semana',
      monthly: 'una vez al mes',
      range: 'cada 4–6 horas',
      freqRange: '1–2 veces al día',
      threeEvery2Days: 'tres veces cada 2 días',
      noPeriod: 'tres veces',
      bedtime: 'una vez al día al acostarse',
      beforeBreakfast: 'una vez al día 30 minutos antes del desayuno',
      clock: 'dos veces al día a las 08:00 y 20:00',
      days: 'una vez a la semana los lunes y jueves',
      course: 'dos veces al día, durante 7 días',
      count: 'una vez al día, 10 dosis en total',
      infusion: 'cada 8 horas en 30 minutos',
      bid: 'dos veces al día',
      unknownCode: 'Every other full moon',
      unknownUnit: 'dos veces / 1 fortnight',
    },
  ],
] as const)('timing said in %s', (_lang, t, said) => {
  const p = t.dosage;
  const daily = (frequency: number, more: Record<string, unknown> = {}) =>
    repeat({ frequency, period: 1, periodUnit: 'd', ...more });

  it('says how often, as a clinician would', () => {
    expect(formatTiming(daily(1), p)).toBe(said.once);
    expect(formatTiming(daily(2), p)).toBe(said.twice);
    expect(formatTiming(daily(3), p)).toBe(said.thrice);
    expect(formatTiming(daily(6), p)).toBe(said.six);
    expect(formatTiming(repeat({ frequency: 1, period: 8, periodUnit: 'h' }), p)).toBe(said.q8h);
    expect(formatTiming(repeat({ frequency: 1, period: 1, periodUnit: 'h' }), p)).toBe(said.hourly);
    expect(formatTiming(repeat({ frequency: 1, period: 2, periodUnit: 'd' }), p)).toBe(said.q2d);
    expect(formatTiming(repeat({ frequency: 1, period: 1, periodUnit: 'wk' }), p)).toBe(said.weekly);
    expect(formatTiming(repeat({ frequency: 2, period: 1, periodUnit: 'wk' }), p)).toBe(said.twiceWeekly);
    expect(formatTiming(repeat({ frequency: 1, period: 1, periodUnit: 'mo' }), p)).toBe(said.monthly);
    expect(formatTiming(repeat({ frequency: 3, period: 2, periodUnit: 'd' }), p)).toBe(said.threeEvery2Days);
  });

  it('keeps a timing that has a period but no frequency, or a frequency but no period', () => {
    expect(formatTiming(repeat({ period: 8, periodUnit: 'h' }), p)).toBe(said.q8h);
    expect(formatTiming(repeat({ frequency: 3 }), p)).toBe(said.noPeriod);
  });

  it('says ranges of period and frequency', () => {
    expect(formatTiming(repeat({ frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' }), p)).toBe(
      said.range,
    );
    expect(formatTiming(daily(1, { frequencyMax: 2 }), p)).toBe(said.freqRange);
  });

  it('says when, at what time, on which days, for how long and how many times', () => {
    expect(formatTiming(daily(1, { when: ['HS'] }), p)).toBe(said.bedtime);
    expect(formatTiming(daily(1, { when: ['ACM'], offset: 30 }), p)).toBe(said.beforeBreakfast);
    expect(formatTiming(daily(2, { timeOfDay: ['08:00:00', '20:00:00'] }), p)).toBe(said.clock);
    expect(
      formatTiming(repeat({ frequency: 1, period: 1, periodUnit: 'wk', dayOfWeek: ['mon', 'thu'] }), p),
    ).toBe(said.days);
    expect(formatTiming(daily(2, { boundsDuration: { value: 7, unit: 'd', code: 'd' } }), p)).toBe(
      said.course,
    );
    expect(formatTiming(daily(1, { count: 10 }), p)).toBe(said.count);
    expect(
      formatTiming(
        repeat({ frequency: 1, period: 8, periodUnit: 'h', duration: 30, durationUnit: 'min' }),
        p,
      ),
    ).toBe(said.infusion);
  });

  it('reads a timing code, and falls back to what the sender wrote', () => {
    const gts = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';
    expect(formatTiming({ code: { coding: [{ system: gts, code: 'BID' }] } }, p)).toBe(said.bid);
    expect(formatTiming({ code: { text: 'Every other full moon' } }, p)).toBe(said.unknownCode);
    expect(formatTiming(repeat({ frequency: 2, period: 1, periodUnit: 'fortnight' }), p)).toBe(
      said.unknownUnit,
    );
    expect(formatTiming('nonsense', p)).toBe('');
  });
});

describe('dosages', () => {
  it('say dose, timing, "as needed" and route in English and Spanish', () => {
    for (const [t, lang] of [
      [en, 'en'],
      [es, 'es'],
    ] as const) {
      const model = documentModel(clinicalDocument(), t);
      const rows = model.sections.find((s) => s.key === 'medications')?.tables[0]?.rows ?? [];
      for (const expected of expectedDosages) {
        const row = rows.find((r) => r.cells.medication === expected.medication);
        const shown = row?.secondary?.dosage ?? row?.cells.dosage;
        expect(shown, `${expected.medication} in ${lang}`).toBe(expected[lang]);
      }
    }
  });

  it('put the prescriber’s text first, with the structured phrase beside it', () => {
    const dosage = {
      text: 'Take 4 tablets every Monday',
      timing: repeat({ frequency: 1, period: 1, periodUnit: 'wk', dayOfWeek: ['mon'] }),
      doseAndRate: [{ doseQuantity: { value: 4, unit: 'tablet' } }],
    };
    expect(formatDosage(dosage, en.dosage)).toEqual({
      main: 'Take 4 tablets every Monday',
      secondary: '4 tablet once weekly on Monday',
    });
    expect(formatDosage({ text: 'As directed' }, en.dosage)).toEqual({ main: 'As directed', secondary: '' });
  });

  it('show "as needed" without a reason, a rate, a limit and extra instructions', () => {
    expect(dosagePhrase({ asNeededBoolean: true }, en.dosage)).toBe('as needed');
    expect(
      dosagePhrase(
        { asNeededBoolean: false, timing: repeat({ frequency: 1, period: 1, periodUnit: 'd' }) },
        en.dosage,
      ),
    ).toBe('once daily');
    expect(
      dosagePhrase(
        {
          doseAndRate: [{ rateQuantity: { value: 5, unit: 'mL/h' } }],
          maxDosePerPeriod: { numerator: { value: 4, unit: 'tablet' }, denominator: { value: 1, unit: 'd' } },
          additionalInstruction: [{ text: 'With plenty of water' }],
          patientInstruction: 'Do not crush',
        },
        en.dosage,
      ),
    ).toBe('at 5 mL/h · no more than 4 tablet / 1 d · With plenty of water · Do not crush');
  });
});

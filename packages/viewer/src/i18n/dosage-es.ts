import type { DosagePhrases, TimeUnit } from './dosage-phrases.js';

const UNITS: Record<TimeUnit, [string, string]> = {
  s: ['segundo', 'segundos'],
  min: ['minuto', 'minutos'],
  h: ['hora', 'horas'],
  d: ['día', 'días'],
  wk: ['semana', 'semanas'],
  mo: ['mes', 'meses'],
  a: ['año', 'años'],
};

// "una vez al día", "dos veces a la semana".
const PER_ONE: Record<TimeUnit, string> = {
  s: 'por segundo',
  min: 'por minuto',
  h: 'por hora',
  d: 'al día',
  wk: 'a la semana',
  mo: 'al mes',
  a: 'al año',
};

const TIMES = ['', 'una vez', 'dos veces', 'tres veces', 'cuatro veces'];

const times = (n: number, max?: number): string =>
  max !== undefined && max !== n ? `${n}–${max} veces` : (TIMES[n] ?? `${n} veces`);

const span = (n: number, max: number | undefined): string =>
  max !== undefined && max !== n ? `${n}–${max}` : String(n);

const unitName = (unit: TimeUnit, n: number, max: number | undefined): string =>
  UNITS[unit][n === 1 && (max === undefined || max === 1) ? 0 : 1];

const conjunction = new Intl.ListFormat('es', { type: 'conjunction' });

/** Spanish, as written on a prescription in Spain and Latin America. */
export const dosageEs: DosagePhrases = {
  frequency: ({ frequency, frequencyMax, period, periodMax, unit }) => {
    const onePeriod = period === 1 && (periodMax === undefined || periodMax === 1);
    const once = frequency === 1 && (frequencyMax === undefined || frequencyMax === 1);
    if (onePeriod) {
      if (once && (unit === 'h' || unit === 'min' || unit === 's')) return `cada ${UNITS[unit][0]}`;
      return `${times(frequency, frequencyMax)} ${PER_ONE[unit]}`;
    }
    const every = `cada ${span(period, periodMax)} ${unitName(unit, period, periodMax)}`;
    return once ? every : `${times(frequency, frequencyMax)} ${every}`;
  },
  times: (n, max) => times(n, max),
  duration: (value, max, unit) => `${span(value, max)} ${unitName(unit, value, max)}`,
  forDuration: (duration) => `durante ${duration}`,
  over: (duration) => `en ${duration}`,
  count: (count, max) =>
    count === 1 && (max === undefined || max === 1)
      ? '1 dosis en total'
      : `${span(count, max)} dosis en total`,
  between: (start, end) =>
    start && end ? `del ${start} al ${end}` : start ? `desde el ${start}` : end ? `hasta el ${end}` : '',
  when: {
    MORN: 'por la mañana',
    'MORN.early': 'temprano por la mañana',
    'MORN.late': 'a media mañana',
    NOON: 'a mediodía',
    AFT: 'por la tarde',
    'AFT.early': 'a primera hora de la tarde',
    'AFT.late': 'a última hora de la tarde',
    EVE: 'al anochecer',
    'EVE.early': 'al atardecer',
    'EVE.late': 'entrada la noche',
    NIGHT: 'por la noche',
    PHS: 'después de dormir',
    HS: 'al acostarse',
    WAKE: 'al despertar',
    C: 'con las comidas',
    CM: 'con el desayuno',
    CD: 'con el almuerzo',
    CV: 'con la cena',
    AC: 'antes de las comidas',
    ACM: 'antes del desayuno',
    ACD: 'antes del almuerzo',
    ACV: 'antes de la cena',
    PC: 'después de las comidas',
    PCM: 'después del desayuno',
    PCD: 'después del almuerzo',
    PCV: 'después de la cena',
  },
  offset: (minutes, event) => `${minutes} ${event}`,
  atTimes: (list) => `a las ${list}`,
  onDays: (list) => `los ${list}`,
  days: {
    mon: 'lunes',
    tue: 'martes',
    wed: 'miércoles',
    thu: 'jueves',
    fri: 'viernes',
    sat: 'sábados',
    sun: 'domingos',
  },
  asNeeded: 'si es necesario',
  asNeededFor: (reason) => `si es necesario por ${reason}`,
  route: (route) => `vía: ${route}`,
  rate: (rate) => `a ${rate}`,
  maxPerPeriod: (ratio) => `máximo ${ratio}`,
  list: (items) => conjunction.format(items),
};

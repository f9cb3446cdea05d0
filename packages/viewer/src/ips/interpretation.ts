import { asArray, isObject, text } from '../fhir/format.js';

/** How a result compares with its reference range, for the visual flag next to the value. */
export type ResultFlag = 'high' | 'low' | 'abnormal' | 'critical' | 'normal';

// HL7 v3 ObservationInterpretation codes (FHIR R4 value set observation-interpretation).
const BY_CODE: Record<string, ResultFlag> = {
  H: 'high',
  HU: 'high',
  '>': 'high',
  L: 'low',
  LU: 'low',
  '<': 'low',
  A: 'abnormal',
  POS: 'abnormal',
  DET: 'abnormal',
  R: 'abnormal',
  HH: 'critical',
  LL: 'critical',
  AA: 'critical',
  N: 'normal',
  NEG: 'normal',
  ND: 'normal',
  S: 'normal',
};

const numeric = (quantity: unknown): { value: number; unit: string } | undefined => {
  if (!isObject(quantity) || typeof quantity.value !== 'number') return undefined;
  return { value: quantity.value, unit: text(quantity.unit) || text(quantity.code) };
};

/**
 * The flag of an Observation (or component): from its `interpretation` codes when the sender gave them,
 * otherwise by comparing a numeric value with the first reference range in the same unit.
 */
export const resultFlag = (observation: Record<string, unknown>): ResultFlag | undefined => {
  for (const concept of asArray(observation.interpretation)) {
    if (!isObject(concept)) continue;
    for (const coding of asArray(concept.coding)) {
      const code = isObject(coding) ? text(coding.code).toUpperCase() : '';
      const flag = BY_CODE[code];
      if (flag) return flag;
    }
  }
  const value = numeric(observation.valueQuantity);
  const range = asArray(observation.referenceRange).find(isObject);
  if (!value || !range) return undefined;
  const low = numeric(range.low);
  const high = numeric(range.high);
  const sameUnit = (bound: { unit: string }) => !bound.unit || !value.unit || bound.unit === value.unit;
  if (low && sameUnit(low) && value.value < low.value) return 'low';
  if (high && sameUnit(high) && value.value > high.value) return 'high';
  return undefined;
};

import type { FhirResource } from '@shlkit/core';
import { formatChoice } from '../fhir/choice-value.js';
import {
  asArray,
  formatAnnotation,
  formatConcept,
  formatConcepts,
  formatDate,
  formatRange,
  isObject,
  text,
} from '../fhir/format.js';
import { resultFlag } from './interpretation.js';
import type { Cells, Row, RowContext } from './row.js';

/**
 * Levels of panels shown under a top row. Real lab panels nest two or three deep; the limit only stops a
 * hostile or broken document. A member below it is still shown: as its own row when it is a section
 * entry, else under "other information".
 */
export const MAX_RESULT_DEPTH = 8;

/** Everything placed in one top row's tree: a member shared by two panels, or a cycle, is shown once. */
type Placed = Set<FhirResource>;

const observationCells = (observation: Record<string, unknown>, ctx: RowContext): Omit<Row, 'resource'> => {
  const ranges = asArray(observation.referenceRange)
    .filter(isObject)
    .map((range) =>
      [text(range.text) || formatRange(range), formatConcepts(range.appliesTo)].filter(Boolean).join(', '),
    )
    .filter(Boolean);
  const flag = resultFlag(observation);
  // Bare interpretation codes ("H", "N") say no more than the flag badge beside the value, in worse words.
  const interpretations = asArray(observation.interpretation);
  const bareCodes = interpretations.every(
    (concept) =>
      isObject(concept) &&
      !text(concept.text) &&
      asArray(concept.coding).every((coding) => isObject(coding) && !text(coding.display)),
  );
  const cells: Cells = {
    test: formatConcept(observation.code),
    value: formatChoice(observation, 'value', ctx.t) || formatConcept(observation.dataAbsentReason),
    range: ranges.join('; '),
    flag: flag && bareCodes ? '' : formatConcepts(interpretations),
    date: formatChoice(observation, 'effective', ctx.t) || formatDate(observation.issued),
  };
  // The performer's comment ("haemolysed sample", "repeat in 3 months") belongs with the value it qualifies.
  const notes = asArray(observation.note).map(formatAnnotation).filter(Boolean).join(' · ');
  return { cells, ...(notes ? { secondary: { value: notes } } : {}), ...(flag ? { flag } : {}) };
};

/**
 * The Observations a list of references names. `#id` references are looked up in the holder's `contained`,
 * and for a contained holder in its container's (contained resources cannot contain).
 */
const referencedObservations = (
  references: unknown,
  holder: FhirResource,
  outer: FhirResource | undefined,
  ctx: RowContext,
): { resource: FhirResource; outer: FhirResource | undefined }[] =>
  asArray(references).flatMap((reference) => {
    const target = isObject(reference) ? text(reference.reference) : '';
    if (!target) return [];
    const own = ctx.resolve(target, { container: holder });
    const found = own ?? (outer ? ctx.resolve(target, { container: outer }) : undefined);
    if (found?.resourceType !== 'Observation') return [];
    // A bundle entry is its own container; a contained one keeps the container it was found in.
    return [{ resource: found, outer: target.startsWith('#') ? (own ? holder : outer) : undefined }];
  });

const memberRows = (
  references: unknown,
  holder: FhirResource,
  outer: FhirResource | undefined,
  ctx: RowContext,
  placed: Placed,
  depth: number,
): Row[] => {
  if (depth > MAX_RESULT_DEPTH) return [];
  const rows: Row[] = [];
  for (const member of referencedObservations(references, holder, outer, ctx)) {
    if (placed.has(member.resource)) continue;
    placed.add(member.resource);
    rows.push(observationTree(member.resource, member.outer, ctx, placed, depth));
  }
  return rows;
};

const observationTree = (
  observation: FhirResource,
  outer: FhirResource | undefined,
  ctx: RowContext,
  placed: Placed,
  depth: number,
): Row => {
  // Components (the two pressures of a blood pressure) first, then panel members, each with its own members.
  const children: Row[] = [
    ...asArray(observation.component)
      .filter(isObject)
      .map((component) => ({ resource: observation, component: true, ...observationCells(component, ctx) })),
    ...memberRows(observation.hasMember, observation, outer, ctx, placed, depth + 1),
  ];
  return {
    resource: observation,
    ...observationCells(observation, ctx),
    ...(children.length > 0 ? { children } : {}),
  };
};

export interface ResultTree {
  row: Row;
  /** Every resource shown under the top row, at any depth. */
  inside: Set<FhirResource>;
}

/** An Observation with its components and `hasMember` panels, at any depth. */
export const observationRow = (observation: FhirResource, ctx: RowContext): ResultTree => {
  const placed: Placed = new Set([observation]);
  const row = observationTree(observation, undefined, ctx, placed, 0);
  placed.delete(observation);
  return { row, inside: placed };
};

/** A DiagnosticReport with its `result` Observations grouped under it, each a panel at any depth. */
export const reportRow = (report: FhirResource, ctx: RowContext): ResultTree => {
  const placed: Placed = new Set([report]);
  const children = memberRows(report.result, report, undefined, ctx, placed, 1);
  placed.delete(report);
  const row: Row = {
    resource: report,
    cells: {
      test: formatConcept(report.code),
      date: formatChoice(report, 'effective', ctx.t) || formatDate(report.issued),
      status: text(report.status),
      details: [text(report.conclusion), formatConcepts(report.conclusionCode)].filter(Boolean).join(' · '),
    },
    ...(children.length > 0 ? { children } : {}),
  };
  return { row, inside: placed };
};

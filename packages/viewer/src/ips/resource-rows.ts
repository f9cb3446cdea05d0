import type { FhirResource } from '@shlkit/core';
import { formatChoice } from '../fhir/choice-value.js';
import { formatDosages } from '../fhir/dosage.js';
import {
  asArray,
  formatAnnotation,
  formatConcept,
  formatConcepts,
  formatDate,
  formatPeriod,
  isObject,
  text,
} from '../fhir/format.js';
import { referenceLabel, referenceLabels } from '../fhir/resource-label.js';
import { observationRow, reportRow, type ResultTree } from './result-rows.js';
import type { ColumnKey, Row, RowContext } from './row.js';

interface RowSpec {
  columns: ColumnKey[];
  row(resource: FhirResource, ctx: RowContext): Omit<Row, 'resource'>;
}

const ctx = (resource: FhirResource) => ({ container: resource });

const status = (resource: FhirResource): string =>
  formatConcept(resource.clinicalStatus) || text(resource.status);

const notes = (resource: FhirResource): string =>
  asArray(resource.note).map(formatAnnotation).filter(Boolean).join(' · ');

const medication = (resource: FhirResource, { resolve }: RowContext): string =>
  formatConcept(resource.medicationCodeableConcept) ||
  referenceLabel(resource.medicationReference, resolve, ctx(resource));

const SPECS: Record<string, RowSpec> = {
  AllergyIntolerance: {
    columns: ['substance', 'category', 'criticality', 'reaction', 'status', 'onset'],
    row: (r, { t }) => ({
      cells: {
        substance: formatConcept(r.code),
        category: [...asArray(r.category).map(text), text(r.type)].filter(Boolean).join(', '),
        criticality: text(r.criticality),
        reaction: asArray(r.reaction)
          .filter(isObject)
          .map((reaction) =>
            [formatConcepts(reaction.manifestation), text(reaction.severity)].filter(Boolean).join(' — '),
          )
          .join('; '),
        status: status(r),
        onset: formatChoice(r, 'onset', t) || formatDate(r.recordedDate),
      },
    }),
  },
  Condition: {
    columns: ['problem', 'status', 'severity', 'onset', 'details'],
    row: (r, { t }) => ({
      cells: {
        problem: formatConcept(r.code),
        status: [formatConcept(r.clinicalStatus), formatConcept(r.verificationStatus)]
          .filter(Boolean)
          .join(', '),
        severity: formatConcept(r.severity),
        onset: [formatChoice(r, 'onset', t), formatChoice(r, 'abatement', t)].filter(Boolean).join(' – '),
        details: [formatConcepts(r.bodySite), notes(r)].filter(Boolean).join(' · '),
      },
    }),
  },
  Immunization: {
    columns: ['vaccine', 'date', 'dose', 'lot', 'status', 'details'],
    row: (r, { resolve, t }) => ({
      cells: {
        vaccine: formatConcept(r.vaccineCode),
        date: formatChoice(r, 'occurrence', t) || formatDate(r.recorded),
        dose: asArray(r.protocolApplied)
          .filter(isObject)
          .map((p) =>
            [formatChoice(p, 'doseNumber', t), formatConcepts(p.targetDisease)].filter(Boolean).join(' · '),
          )
          .join('; '),
        lot: text(r.lotNumber),
        status: text(r.status),
        details: [
          referenceLabels(
            asArray(r.performer)
              .filter(isObject)
              .map((p) => p.actor),
            resolve,
            ctx(r),
          ),
          notes(r),
        ]
          .filter(Boolean)
          .join(' · '),
      },
    }),
  },
  Procedure: {
    columns: ['procedure', 'date', 'status', 'details'],
    row: (r, { t }) => ({
      cells: {
        procedure: formatConcept(r.code),
        date: formatChoice(r, 'performed', t),
        status: text(r.status),
        details: [formatConcepts(r.bodySite), formatConcept(r.outcome), notes(r)].filter(Boolean).join(' · '),
      },
    }),
  },
  DeviceUseStatement: {
    columns: ['device', 'status', 'date', 'details'],
    row: (r, { resolve, t }) => ({
      cells: {
        device: referenceLabel(r.device, resolve, ctx(r)),
        status: text(r.status),
        date: formatChoice(r, 'timing', t) || formatDate(r.recordedOn),
        details: [formatConcept(r.bodySite), notes(r)].filter(Boolean).join(' · '),
      },
    }),
  },
  Device: {
    columns: ['device', 'status', 'details'],
    row: (r) => ({
      cells: {
        device:
          asArray(r.deviceName)
            .filter(isObject)
            .map((n) => text(n.name))
            .find(Boolean) ?? formatConcept(r.type),
        status: text(r.status),
        details: [text(r.manufacturer), text(r.modelNumber)].filter(Boolean).join(' · '),
      },
    }),
  },
  Flag: {
    columns: ['alert', 'category', 'status', 'date'],
    row: (r) => ({
      cells: {
        alert: formatConcept(r.code),
        category: formatConcepts(r.category),
        status: text(r.status),
        date: formatPeriod(r.period),
      },
    }),
  },
  Consent: {
    columns: ['directive', 'status', 'date', 'details'],
    row: (r) => {
      const provision = isObject(r.provision) ? r.provision : {};
      return {
        cells: {
          directive: formatConcepts(r.category) || formatConcept(r.scope),
          status: text(r.status),
          date: formatDate(r.dateTime),
          details: [formatConcept(r.scope), text(provision.type), formatConcepts(provision.code)]
            .filter(Boolean)
            .join(' · '),
        },
      };
    },
  },
  CarePlan: {
    columns: ['plan', 'status', 'date', 'details'],
    row: (r) => ({
      cells: {
        plan: text(r.title) || formatConcepts(r.category) || text(r.description),
        status: text(r.status),
        date: formatPeriod(r.period) || formatDate(r.created),
        details: [
          text(r.title) ? text(r.description) : '',
          ...asArray(r.activity)
            .filter(isObject)
            .map((a) =>
              isObject(a.detail) ? formatConcept(a.detail.code) || text(a.detail.description) : '',
            ),
          notes(r),
        ]
          .filter(Boolean)
          .join(' · '),
      },
    }),
  },
  ClinicalImpression: {
    columns: ['item', 'status', 'date', 'details'],
    row: (r, { t }) => ({
      cells: {
        item: text(r.description) || formatConcept(r.code) || text(r.summary),
        status: text(r.status),
        date: formatChoice(r, 'effective', t) || formatDate(r.date),
        details: [text(r.summary), notes(r)].filter(Boolean).join(' · '),
      },
    }),
  },
  DocumentReference: {
    columns: ['document', 'status', 'date', 'details'],
    row: (r) => ({
      cells: {
        document: formatConcept(r.type) || text(r.description),
        status: text(r.status),
        date: formatDate(r.date),
        details: [
          text(r.description),
          ...asArray(r.content)
            .filter(isObject)
            .map((c) =>
              isObject(c.attachment) ? text(c.attachment.title) || text(c.attachment.contentType) : '',
            ),
        ]
          .filter(Boolean)
          .join(' · '),
      },
    }),
  },
};

const medicationSpec = (dosageField: string, dateField: string): RowSpec => ({
  columns: ['medication', 'dosage', 'status', 'date'],
  row: (r, context) => {
    const dosage = formatDosages(r[dosageField], context.t.dosage);
    return {
      cells: {
        medication: medication(r, context),
        dosage: dosage.main,
        status: text(r.status),
        date: formatChoice(r, dateField, context.t) || formatDate(r[dateField]),
      },
      ...(dosage.secondary ? { secondary: { dosage: dosage.secondary } } : {}),
    };
  },
});
SPECS.MedicationStatement = medicationSpec('dosage', 'effective');
SPECS.MedicationRequest = medicationSpec('dosageInstruction', 'authoredOn');
SPECS.MedicationAdministration = medicationSpec('dosage', 'effective');
SPECS.MedicationDispense = medicationSpec('dosageInstruction', 'whenHandedOver');

const RESULT_COLUMNS: ColumnKey[] = ['test', 'value', 'range', 'flag', 'date'];

/** Whether this resource type has a table; others are shown with the generic view. */
export const hasTable = (resourceType: string): boolean =>
  resourceType in SPECS || resourceType === 'Observation' || resourceType === 'DiagnosticReport';

export const columnsOf = (resourceType: string): ColumnKey[] => {
  if (resourceType === 'Observation') return RESULT_COLUMNS;
  // A report's results are grouped under it, so its table has their columns too.
  if (resourceType === 'DiagnosticReport') return [...RESULT_COLUMNS, 'status', 'details'];
  return SPECS[resourceType]?.columns ?? [];
};

/** A resource's row, with what is grouped under it (a report's results, a panel's members). */
export const rowTree = (resource: FhirResource, context: RowContext): ResultTree => {
  if (resource.resourceType === 'Observation') return observationRow(resource, context);
  if (resource.resourceType === 'DiagnosticReport') return reportRow(resource, context);
  const spec = SPECS[resource.resourceType];
  return { row: { resource, ...(spec ? spec.row(resource, context) : { cells: {} }) }, inside: new Set() };
};

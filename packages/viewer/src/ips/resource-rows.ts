import type { FhirResource, ReferenceResolver } from '@shlkit/core';
import {
  asArray,
  formatAnnotation,
  formatChoice,
  formatConcept,
  formatConcepts,
  formatDate,
  formatDosage,
  formatPeriod,
  formatRange,
  isObject,
  text,
} from '../fhir/format.js';
import { referenceLabel, referenceLabels } from '../fhir/resource-label.js';
import { type ResultFlag, resultFlag } from './interpretation.js';

/** Column names; the UI looks each up in the messages' `columns`. */
export type ColumnKey =
  | 'substance'
  | 'medication'
  | 'problem'
  | 'vaccine'
  | 'test'
  | 'report'
  | 'procedure'
  | 'device'
  | 'alert'
  | 'directive'
  | 'plan'
  | 'document'
  | 'item'
  | 'category'
  | 'criticality'
  | 'reaction'
  | 'status'
  | 'severity'
  | 'onset'
  | 'date'
  | 'dosage'
  | 'dose'
  | 'lot'
  | 'value'
  | 'range'
  | 'flag'
  | 'details';

export interface Row {
  resource: FhirResource;
  cells: Partial<Record<ColumnKey, string>>;
  flag?: ResultFlag;
  /** Observation components and the like, shown indented under their row. */
  children?: Row[];
}

interface RowSpec {
  columns: ColumnKey[];
  row(resource: FhirResource, resolve: ReferenceResolver): Omit<Row, 'resource'>;
}

const ctx = (resource: FhirResource) => ({ container: resource });

const status = (resource: FhirResource): string =>
  formatConcept(resource.clinicalStatus) || text(resource.status);

const notes = (resource: FhirResource): string =>
  asArray(resource.note).map(formatAnnotation).filter(Boolean).join(' · ');

const medication = (resource: FhirResource, resolve: ReferenceResolver): string =>
  formatConcept(resource.medicationCodeableConcept) ||
  referenceLabel(resource.medicationReference, resolve, ctx(resource));

const observationCells = (observation: Record<string, unknown>): Omit<Row, 'resource'> => {
  const ranges = asArray(observation.referenceRange)
    .filter(isObject)
    .map((range) => text(range.text) || formatRange(range))
    .filter(Boolean);
  const flag = resultFlag(observation);
  const value = formatChoice(observation, 'value') || formatConcept(observation.dataAbsentReason) || '';
  return {
    cells: {
      test: formatConcept(observation.code),
      value,
      range: ranges.join('; '),
      flag: formatConcepts(observation.interpretation),
      date: formatChoice(observation, 'effective') || formatDate(observation.issued),
    },
    ...(flag ? { flag } : {}),
  };
};

const SPECS: Record<string, RowSpec> = {
  AllergyIntolerance: {
    columns: ['substance', 'category', 'criticality', 'reaction', 'status', 'onset'],
    row: (r) => ({
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
        onset: formatChoice(r, 'onset') || formatDate(r.recordedDate),
      },
    }),
  },
  Condition: {
    columns: ['problem', 'status', 'severity', 'onset', 'details'],
    row: (r) => ({
      cells: {
        problem: formatConcept(r.code),
        status: [formatConcept(r.clinicalStatus), formatConcept(r.verificationStatus)]
          .filter(Boolean)
          .join(', '),
        severity: formatConcept(r.severity),
        onset: [formatChoice(r, 'onset'), formatChoice(r, 'abatement')].filter(Boolean).join(' – '),
        details: [formatConcepts(r.bodySite), notes(r)].filter(Boolean).join(' · '),
      },
    }),
  },
  Immunization: {
    columns: ['vaccine', 'date', 'dose', 'lot', 'status', 'details'],
    row: (r, resolve) => ({
      cells: {
        vaccine: formatConcept(r.vaccineCode),
        date: formatChoice(r, 'occurrence') || formatDate(r.recorded),
        dose: asArray(r.protocolApplied)
          .filter(isObject)
          .map((p) =>
            [formatChoice(p, 'doseNumber'), formatConcepts(p.targetDisease)].filter(Boolean).join(' · '),
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
  Observation: {
    columns: ['test', 'value', 'range', 'flag', 'date'],
    row: (r, resolve) => ({
      ...observationCells(r),
      // Components (blood pressure) and panel members (hasMember) show under their row; a member that is
      // also a section entry shows in both places, as the document lists it twice.
      children: [
        ...asArray(r.component)
          .filter(isObject)
          .map((component) => ({ resource: r, ...observationCells(component) })),
        ...asArray(r.hasMember)
          .map((member) =>
            isObject(member) ? resolve(text(member.reference) || undefined, ctx(r)) : undefined,
          )
          .filter((member): member is FhirResource => member?.resourceType === 'Observation')
          .map((member) => ({ resource: member, ...observationCells(member) })),
      ],
    }),
  },
  DiagnosticReport: {
    columns: ['report', 'date', 'status', 'details'],
    row: (r, resolve) => ({
      cells: {
        report: formatConcept(r.code),
        date: formatChoice(r, 'effective') || formatDate(r.issued),
        status: text(r.status),
        details: [
          text(r.conclusion),
          formatConcepts(r.conclusionCode),
          referenceLabels(r.result, resolve, ctx(r)),
        ]
          .filter(Boolean)
          .join(' · '),
      },
    }),
  },
  Procedure: {
    columns: ['procedure', 'date', 'status', 'details'],
    row: (r) => ({
      cells: {
        procedure: formatConcept(r.code),
        date: formatChoice(r, 'performed'),
        status: text(r.status),
        details: [formatConcepts(r.bodySite), formatConcept(r.outcome), notes(r)].filter(Boolean).join(' · '),
      },
    }),
  },
  DeviceUseStatement: {
    columns: ['device', 'status', 'date', 'details'],
    row: (r, resolve) => ({
      cells: {
        device: referenceLabel(r.device, resolve, ctx(r)),
        status: text(r.status),
        date: formatChoice(r, 'timing') || formatDate(r.recordedOn),
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
    row: (r) => ({
      cells: {
        item: text(r.description) || formatConcept(r.code) || text(r.summary),
        status: text(r.status),
        date: formatChoice(r, 'effective') || formatDate(r.date),
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
  row: (r, resolve) => ({
    cells: {
      medication: medication(r, resolve),
      dosage: asArray(r[dosageField]).map(formatDosage).filter(Boolean).join('; '),
      status: text(r.status),
      date: formatChoice(r, dateField) || formatDate(r[dateField]),
    },
  }),
});
SPECS.MedicationStatement = medicationSpec('dosage', 'effective');
SPECS.MedicationRequest = medicationSpec('dosageInstruction', 'authoredOn');
SPECS.MedicationAdministration = medicationSpec('dosage', 'effective');
SPECS.MedicationDispense = medicationSpec('dosageInstruction', 'whenHandedOver');

/** Whether this resource type has a table; others are shown with the generic view. */
export const hasTable = (resourceType: string): boolean => resourceType in SPECS;

export const columnsOf = (resourceType: string): ColumnKey[] => SPECS[resourceType]?.columns ?? [];

export const rowOf = (resource: FhirResource, resolve: ReferenceResolver): Row => {
  const spec = SPECS[resource.resourceType];
  if (!spec) return { resource, cells: {} };
  return { resource, ...spec.row(resource, resolve) };
};

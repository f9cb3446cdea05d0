import type { FhirResource, ReferenceResolver } from '@shlkit/core';
import type { Messages } from '../i18n/en.js';
import type { ResultFlag } from './interpretation.js';

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

export type Cells = Partial<Record<ColumnKey, string>>;

export interface Row {
  resource: FhirResource;
  cells: Cells;
  /** A second, quieter line under a cell: the structured dosage under the prescriber's own words. */
  secondary?: Cells;
  flag?: ResultFlag;
  /** An Observation component: a part of `resource`, with no details of its own. */
  component?: boolean;
  /** Rows grouped under this one: components, panel members, a report's results, at any depth. */
  children?: Row[];
}

/** What building a row needs: the document's references, and the reader's language for phrases. */
export interface RowContext {
  resolve: ReferenceResolver;
  t: Messages;
}

import type { FhirResource } from '@shlkit/core';
import { columnsOf, hasTable, rowTree } from './resource-rows.js';
import type { ColumnKey, Row, RowContext } from './row.js';
import type { ResultTree } from './result-rows.js';

export interface ResourceTable {
  resourceType: string;
  columns: ColumnKey[];
  rows: Row[];
}

export interface GroupedEntries {
  /** One table per resource type, in order of first appearance. */
  tables: ResourceTable[];
  /** Entries of a type without a table: shown with the generic view. */
  others: FhirResource[];
  /** Every resource shown: the entries and what is grouped under them (results, panel members). */
  shown: Set<FhirResource>;
}

/**
 * A list of entries (a section's, or a whole Bundle's) as tables. An entry that another entry's row already
 * shows (an Observation that is a result of a listed report, or a member of a listed panel) is not repeated
 * as a row of its own: documents usually list both. Two entries that contain each other (a cycle) both
 * keep their row, and an entry that no kept row reaches (cut by the depth limit) gets its own: every entry is
 * shown at least once.
 */
export const groupEntries = (entries: readonly FhirResource[], context: RowContext): GroupedEntries => {
  const trees = new Map<FhirResource, ResultTree>();
  for (const entry of entries) {
    if (hasTable(entry.resourceType) && !trees.has(entry)) trees.set(entry, rowTree(entry, context));
  }
  const containers = new Map<FhirResource, FhirResource[]>();
  for (const [entry, tree] of trees) {
    for (const inner of tree.inside) {
      const list = containers.get(inner);
      if (list) list.push(entry);
      else containers.set(inner, [entry]);
    }
  }
  const nestedElsewhere = (entry: FhirResource): boolean =>
    (containers.get(entry) ?? []).some((container) => !trees.get(entry)?.inside.has(container));
  const kept = new Set([...trees.keys()].filter((entry) => !nestedElsewhere(entry)));
  const shown = new Set<FhirResource>();
  const show = (entry: FhirResource) => {
    shown.add(entry);
    for (const inner of trees.get(entry)?.inside ?? []) shown.add(inner);
  };
  for (const entry of kept) show(entry);
  for (const entry of trees.keys()) {
    if (shown.has(entry)) continue;
    kept.add(entry);
    show(entry);
  }

  const tables = new Map<string, ResourceTable>();
  const others: FhirResource[] = [];
  for (const entry of entries) {
    const tree = trees.get(entry);
    if (!tree) {
      others.push(entry);
      shown.add(entry);
      continue;
    }
    if (!kept.has(entry)) continue;
    let table = tables.get(entry.resourceType);
    if (!table) {
      table = { resourceType: entry.resourceType, columns: columnsOf(entry.resourceType), rows: [] };
      tables.set(entry.resourceType, table);
    }
    table.rows.push(tree.row);
  }
  return { tables: [...tables.values()], others, shown };
};

import { type Bundle, createReferenceResolver, type FhirResource } from '@shlkit/core';
import type { ResourceTable } from './document-model.js';
import { columnsOf, hasTable, rowOf } from './resource-rows.js';

export interface BundleTables {
  patients: FhirResource[];
  tables: ResourceTable[];
  /** Entries of a type without a table, shown with the generic view. */
  others: FhirResource[];
}

/**
 * A Bundle without a Composition (a SMART Health Card's `collection`): patients for the banner, the rest
 * grouped into the same tables as IPS sections, in order of first appearance.
 */
export const bundleTables = (bundle: Bundle): BundleTables => {
  const resolve = createReferenceResolver(bundle);
  const patients: FhirResource[] = [];
  const tables = new Map<string, ResourceTable>();
  const others: FhirResource[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!resource) continue;
    if (resource.resourceType === 'Patient') {
      patients.push(resource);
    } else if (hasTable(resource.resourceType)) {
      let table = tables.get(resource.resourceType);
      if (!table) {
        table = { resourceType: resource.resourceType, columns: columnsOf(resource.resourceType), rows: [] };
        tables.set(resource.resourceType, table);
      }
      table.rows.push(rowOf(resource, resolve));
    } else {
      others.push(resource);
    }
  }
  return { patients, tables: [...tables.values()], others };
};

import type { Bundle, FhirResource } from './fhir.js';

export interface ResolveContext {
  /** fullUrl of the entry that holds the reference: relative references resolve against its base. */
  fromFullUrl?: string;
  /** The resource that holds the reference: `#id` references point into its `contained`. */
  container?: FhirResource;
}

export type ReferenceResolver = (
  reference: string | undefined,
  context?: ResolveContext,
) => FhirResource | undefined;

const typeAndId = (reference: string): string | undefined => {
  // `Patient/123`, `https://x/fhir/Patient/123`, `Patient/123/_history/2` all name Patient/123.
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match ? `${match[1]}/${match[2]}` : undefined;
};

/**
 * Resolves references inside a Bundle, the ways real documents write them (FHIR R4 "Resolving references
 * in Bundles"): `#id` into the holder's `contained`, exact fullUrl (`urn:uuid:...` or absolute), a relative
 * `Type/id` against the holder's base URL, and finally any entry whose resource has that type and id.
 * Never throws; the resolver answers undefined for a reference it cannot resolve.
 *
 * @param bundle - the document Bundle, indexed once
 * @returns `(reference, context?) => resource | undefined`; `context` gives the holder's fullUrl and the
 *   resource that holds `contained`
 */
export const createReferenceResolver = (bundle: Bundle): ReferenceResolver => {
  const byFullUrl = new Map<string, FhirResource>();
  const byTypeAndId = new Map<string, FhirResource>();
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!resource) continue;
    if (entry.fullUrl) byFullUrl.set(entry.fullUrl, resource);
    if (resource.id) {
      const key = `${resource.resourceType}/${resource.id}`;
      if (!byTypeAndId.has(key)) byTypeAndId.set(key, resource);
    }
  }

  return (reference, context = {}) => {
    if (!reference) return undefined;
    if (reference.startsWith('#')) {
      const contained = context.container?.contained;
      if (!Array.isArray(contained)) return undefined;
      return (contained as FhirResource[]).find((resource) => resource.id === reference.slice(1));
    }
    const exact = byFullUrl.get(reference);
    if (exact) return exact;
    const relative = typeAndId(reference);
    if (relative && context.fromFullUrl && /^https?:/.test(context.fromFullUrl)) {
      const base = context.fromFullUrl.replace(/[A-Z][A-Za-z]+\/[^/]+$/, '');
      const absolute = byFullUrl.get(`${base}${relative}`);
      if (absolute) return absolute;
    }
    return relative ? byTypeAndId.get(relative) : undefined;
  };
};

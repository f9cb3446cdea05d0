import type { FhirResource, ReferenceResolver, ResolveContext } from '@shlkit/core';
import { asArray, formatConcept, formatNames, isObject, text } from './format.js';

/** A short human name for a resource: a person's name, an organisation's name, a medication's code... */
export const resourceLabel = (resource: FhirResource | undefined, resolve?: ReferenceResolver): string => {
  if (!resource) return '';
  switch (resource.resourceType) {
    case 'Patient':
    case 'Practitioner':
    case 'RelatedPerson':
    case 'Person':
      return formatNames(resource.name);
    case 'Organization':
    case 'Location':
    case 'HealthcareService':
      return text(resource.name);
    case 'PractitionerRole': {
      const practitioner = referenceLabel(resource.practitioner, resolve, { container: resource });
      const organization = referenceLabel(resource.organization, resolve, { container: resource });
      return (
        [practitioner, organization].filter(Boolean).join(', ') || formatConcept(asArray(resource.code)[0])
      );
    }
    case 'Medication':
      return formatConcept(resource.code);
    case 'Device': {
      const names = asArray(resource.deviceName).filter(isObject);
      return text(names[0]?.name) || formatConcept(resource.type);
    }
    case 'Substance':
      return formatConcept(resource.code);
    default:
      return (
        formatConcept(resource.code) || `${resource.resourceType}${resource.id ? `/${resource.id}` : ''}`
      );
  }
};

/** A Reference as text: the resolved resource's label, else the reference's own `display`. */
export const referenceLabel = (
  reference: unknown,
  resolve: ReferenceResolver | undefined,
  context?: ResolveContext,
): string => {
  if (!isObject(reference)) return '';
  const target = resolve?.(text(reference.reference) || undefined, context);
  return resourceLabel(target, resolve) || text(reference.display) || text(reference.reference);
};

export const referenceLabels = (
  references: unknown,
  resolve: ReferenceResolver | undefined,
  context?: ResolveContext,
): string =>
  asArray(references)
    .map((r) => referenceLabel(r, resolve, context))
    .filter(Boolean)
    .join(', ');

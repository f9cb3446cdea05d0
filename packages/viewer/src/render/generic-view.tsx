import type { FhirResource } from '@shlkit/core';
import { formatQuantity, systemName } from '../fhir/format.js';
import { useMessages } from '../i18n/select-messages.js';
import { Narrative } from './narrative.js';

/** `valueCodeableConcept` -> `value codeable concept`: FHIR element names, readable. */
const humanize = (field: string): string =>
  field
    .replace(/^_/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasOnly = (record: Record<string, unknown>, fields: ReadonlySet<string>): boolean =>
  Object.keys(record).every((field) => fields.has(field));

// A coding the user selected keeps its full layout, so that flag stays visible.
const CODING = new Set(['system', 'code', 'display', 'version']);
const QUANTITY = new Set(['value', 'unit', 'system', 'code', 'comparator']);

/**
 * Codings and quantities on one line ("Penicillin · SNOMED CT 764146007", "13.2 g/dL"): a resource holds
 * dozens of them, and three labelled lines each make the details too long to read on a phone.
 */
const Compact = ({ record }: { record: Record<string, unknown> }) => {
  // A quantity's UCUM system and code repeat its unit.
  if (typeof record.value === 'number' && hasOnly(record, QUANTITY)) {
    return <span>{formatQuantity(record)}</span>;
  }
  // Every field is kept (the details promise the whole resource), only laid out on one line.
  const field = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : '');
  const name = systemName(record.system);
  const code = [name ?? '', field('code')].filter(Boolean).join(' ');
  const rest = [code, name ? '' : field('system'), field('version')].filter(Boolean);
  return (
    <span>
      {field('display')}
      {field('display') && rest.length > 0 && ' · '}
      {rest.length > 0 && <span class={field('display') ? 'muted' : undefined}>{rest.join(' · ')}</span>}
    </span>
  );
};

const isCompact = (record: Record<string, unknown>): boolean =>
  (typeof record.value === 'number' && hasOnly(record, QUANTITY)) ||
  ((typeof record.code === 'string' || typeof record.display === 'string') && hasOnly(record, CODING));

/**
 * Shows any JSON value as nested definition lists: the fallback that makes sure nothing in a document
 * goes unshown, whatever its type. The resource's own narrative is shown sanitised.
 */
const Value = ({ value, depth }: { value: unknown; depth: number }) => {
  const t = useMessages();
  if (value === null || value === undefined || value === '')
    return <span class="muted">{t.generic.empty}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">{t.generic.empty}</span>;
    if (value.length === 1) return <Value value={value[0]} depth={depth} />;
    return (
      <ol class="generic-list">
        {value.map((item, index) => (
          <li key={index}>
            <Value value={item} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  if (isPlainObject(value)) {
    return isCompact(value) ? <Compact record={value} /> : <Fields record={value} depth={depth + 1} />;
  }
  return <span>{String(value)}</span>;
};

const Fields = ({ record, depth }: { record: Record<string, unknown>; depth: number }) => (
  <dl class={`generic generic-depth-${Math.min(depth, 4)}`}>
    {Object.entries(record).map(([field, value]) =>
      field === 'text' && isPlainObject(value) && typeof value.div === 'string' ? (
        <div key={field} class="generic-field">
          <dt>{humanize(field)}</dt>
          <dd>
            <Narrative xhtml={value.div} />
          </dd>
        </div>
      ) : (
        <div key={field} class="generic-field">
          <dt>{humanize(field)}</dt>
          <dd>
            <Value value={value} depth={depth} />
          </dd>
        </div>
      ),
    )}
  </dl>
);

export const GenericResource = ({
  resource,
  headingLevel,
}: {
  resource: FhirResource;
  headingLevel?: 2 | 3 | 4;
}) => {
  const { resourceType, ...rest } = resource;
  const Heading = `h${headingLevel ?? 4}` as 'h4';
  return (
    <div class="generic-resource">
      {headingLevel !== undefined && <Heading class="generic-type">{resourceType}</Heading>}
      {headingLevel === undefined && <p class="generic-type">{resourceType}</p>}
      {resourceType === 'Bundle' && Array.isArray(rest.entry) ? (
        <BundleEntries bundle={rest} />
      ) : (
        <Fields record={rest} depth={0} />
      )}
    </div>
  );
};

/** A non-IPS Bundle: its own fields, then each entry's resource as its own block. */
const BundleEntries = ({ bundle }: { bundle: Record<string, unknown> }) => {
  const { entry, ...fields } = bundle;
  const entries = Array.isArray(entry) ? entry : [];
  return (
    <>
      <Fields record={fields} depth={0} />
      {entries.map((item, index) => {
        const resource = isPlainObject(item) ? item.resource : undefined;
        return isPlainObject(resource) && typeof resource.resourceType === 'string' ? (
          <GenericResource key={index} resource={resource as FhirResource} headingLevel={3} />
        ) : (
          <Value key={index} value={item} depth={1} />
        );
      })}
    </>
  );
};

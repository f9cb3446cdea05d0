import type { FhirResource, ReferenceResolver } from '@shlkit/core';
import { resourceLabel } from '../fhir/resource-label.js';
import { useMessages } from '../i18n/select-messages.js';
import { GenericResource } from '../render/generic-view.js';
import { LazyDetails } from '../render/lazy-details.js';
import type { SectionModel } from './document-model.js';
import { SectionView } from './section-view.js';

/** A section's heading text: the author's title, else the IPS name in the reader's language. */
const useSectionTitle = () => {
  const t = useMessages();
  return (section: SectionModel) => section.title || (section.key ? t.ips.sections[section.key] : '');
};

/** The contents list, then every section. */
export const Sections = ({ sections }: { sections: SectionModel[] }) => {
  const t = useMessages();
  const title = useSectionTitle();
  const ids = sections.map((section, index) => `section-${section.key ?? 'other'}-${index}`);
  return (
    <>
      <nav class="contents no-print" aria-label={t.ips.contents}>
        <ul>
          {sections.map((section, index) => (
            <li key={ids[index]}>
              {/* Buttons, not `#id` links: the fragment holds the SHL link and must stay untouched. */}
              <button type="button" class="link-button" onClick={() => jumpTo(ids[index] ?? '')}>
                {title(section)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map((section, index) => (
        <SectionView key={ids[index]} section={section} id={ids[index] ?? ''} level={2} />
      ))}
    </>
  );
};

/** Entries no section shows (practitioners, organisations...), each one click away. */
export const UnlistedSection = ({
  resources,
  resolve,
}: {
  resources: FhirResource[];
  resolve: ReferenceResolver;
}) => {
  const t = useMessages();
  if (resources.length === 0) return null;
  return (
    <section class="ips-section unlisted" aria-labelledby="unlisted-title">
      <h2 id="unlisted-title">{t.ips.unlisted}</h2>
      {resources.map((resource, index) => (
        <LazyDetails key={index} summary={unlistedSummary(resource, resolve)}>
          {() => <GenericResource resource={resource} />}
        </LazyDetails>
      ))}
    </section>
  );
};

/** `Practitioner: Beetje van Hulp`, or the bare type when the resource has no name to show. */
const unlistedSummary = (resource: FhirResource, resolve: ReferenceResolver): string => {
  const label = resourceLabel(resource, resolve);
  return label && !label.startsWith(`${resource.resourceType}/`)
    ? `${resource.resourceType}: ${label}`
    : resource.resourceType;
};

const jumpTo = (id: string) => {
  const heading = document.getElementById(`${id}-title`);
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus({ preventScroll: true });
};

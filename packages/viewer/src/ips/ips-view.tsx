import type { Bundle, FhirResource, ReferenceResolver } from '@shlkit/core';
import { useMemo } from 'preact/hooks';
import { resourceLabel } from '../fhir/resource-label.js';
import { useMessages } from '../i18n/select-messages.js';
import { GenericResource } from '../render/generic-view.js';
import { LazyDetails } from '../render/lazy-details.js';
import { documentModel } from './document-model.js';
import { PatientBanner } from './patient-banner.js';
import { SectionView } from './section-view.js';

/** An International Patient Summary: banner, author and date, contents, every section, then the rest. */
export const IpsView = ({ bundle }: { bundle: Bundle }) => {
  const t = useMessages();
  const model = useMemo(() => documentModel(bundle), [bundle]);
  const ids = model.sections.map((section, index) => `section-${section.key ?? 'other'}-${index}`);
  return (
    <div class="ips">
      <PatientBanner patient={model.patient} />
      <div class="document-meta">
        <p class="document-title">{model.title}</p>
        <dl>
          {model.authors && (
            <div>
              <dt>{t.ips.author}</dt>
              <dd data-testid="document-author">{model.authors}</dd>
            </div>
          )}
          {model.date && (
            <div>
              <dt>{t.ips.date}</dt>
              <dd data-testid="document-date">{model.date}</dd>
            </div>
          )}
          {model.custodian && (
            <div>
              <dt>{t.ips.custodian}</dt>
              <dd>{model.custodian}</dd>
            </div>
          )}
        </dl>
      </div>
      <nav class="contents no-print" aria-label={t.ips.contents}>
        <ul>
          {model.sections.map((section, index) => (
            <li key={ids[index]}>
              {/* Buttons, not `#id` links: the fragment holds the SHL link and must stay untouched. */}
              <button type="button" class="link-button" onClick={() => jumpTo(ids[index] ?? '')}>
                {section.title || (section.key ? t.ips.sections[section.key] : '')}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {model.sections.map((section, index) => (
        <SectionView key={ids[index]} section={section} id={ids[index] ?? ''} level={2} />
      ))}
      {model.unlisted.length > 0 && (
        <section class="ips-section unlisted" aria-labelledby="unlisted-title">
          <h2 id="unlisted-title">{t.ips.unlisted}</h2>
          {model.unlisted.map((resource, index) => (
            <LazyDetails key={index} summary={unlistedSummary(resource, model.resolve)}>
              {() => <GenericResource resource={resource} />}
            </LazyDetails>
          ))}
        </section>
      )}
    </div>
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

import { useMessages } from '../i18n/select-messages.js';
import { GenericResource } from '../render/generic-view.js';
import { LazyDetails } from '../render/lazy-details.js';
import { Narrative } from '../render/narrative.js';
import type { SectionModel } from './document-model.js';
import { ResourceTable } from './resource-table.js';

/**
 * One Composition section: structured tables first; the author's narrative is one click away, or shown
 * directly when the section has nothing structured (the fallback); `emptyReason` is said, never hidden.
 */
export const SectionView = ({
  section,
  id,
  level,
}: {
  section: SectionModel;
  id: string;
  level: 2 | 3 | 4;
}) => {
  const t = useMessages();
  const Heading = `h${level}` as 'h2';
  const structured = section.tables.length > 0 || section.others.length > 0;
  const standardName = section.key ? t.ips.sections[section.key] : undefined;
  return (
    <section
      class="ips-section"
      id={id}
      aria-labelledby={`${id}-title`}
      data-section={section.key ?? 'other'}
    >
      <Heading id={`${id}-title`} tabIndex={-1}>
        {section.title || standardName}
        {standardName && section.title && standardName.toLowerCase() !== section.title.toLowerCase() && (
          <span class="standard-name"> · {standardName}</span>
        )}
      </Heading>
      {section.emptyReason && (
        <p class="empty-reason">
          {t.ips.emptyReason(
            // A bare code ("unavailable") is named in the reader's language; the author's own text is kept.
            section.emptyReason === section.emptyReasonCode
              ? (t.ips.emptyReasons[section.emptyReasonCode] ?? section.emptyReason)
              : section.emptyReason,
          )}
        </p>
      )}
      {section.tables.map((table) => (
        <ResourceTable key={table.resourceType} table={table} />
      ))}
      {section.others.map((resource, index) => (
        <GenericResource key={index} resource={resource} />
      ))}
      {section.unresolved.map((reference) => (
        <p key={reference} class="unresolved">
          {t.ips.unresolved(reference)}
        </p>
      ))}
      {section.narrative &&
        (structured ? (
          <LazyNarrative xhtml={section.narrative} />
        ) : (
          <>
            <p class="muted">{t.ips.narrativeOnly}</p>
            <Narrative xhtml={section.narrative} />
          </>
        ))}
      {!structured && !section.narrative && !section.emptyReason && section.subsections.length === 0 && (
        <p class="muted">{t.ips.emptySection}</p>
      )}
      {section.subsections.map((sub, index) => (
        <SectionView
          key={`${id}-${index}`}
          section={sub}
          id={`${id}-${index}`}
          level={level < 4 ? ((level + 1) as 3 | 4) : 4}
        />
      ))}
    </section>
  );
};

/** The narrative of a structured section, sanitised and built only when the reader opens it. */
const LazyNarrative = ({ xhtml }: { xhtml: string }) => {
  const t = useMessages();
  return (
    <LazyDetails class="narrative-toggle" summary={t.ips.narrative}>
      {() => <Narrative xhtml={xhtml} />}
    </LazyDetails>
  );
};

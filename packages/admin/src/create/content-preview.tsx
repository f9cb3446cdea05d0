import type { ContentPreview } from '@shlkit/core';

/** What will be shared, before it is: patient and sections with entry counts. All of it as text. */
export const ContentPreviewView = ({ preview }: { preview: ContentPreview }) => (
  <section class="preview" aria-labelledby="preview-title">
    <h2 id="preview-title">Preview</h2>
    <dl class="facts">
      <dt>Content</dt>
      <dd>{preview.kind}</dd>
      <dt>Patient</dt>
      <dd>{preview.patient ?? 'not named in this content'}</dd>
    </dl>
    {preview.sections.length > 0 && (
      <>
        <h3>Sections</h3>
        <ul class="sections">
          {preview.sections.map((section, index) => (
            <li key={index}>
              {section.title}: {section.entries === 1 ? '1 entry' : `${section.entries} entries`}
            </li>
          ))}
        </ul>
      </>
    )}
    {preview.resourceCounts.length > 0 && (
      <>
        <h3>Resources</h3>
        <ul class="sections">
          {preview.resourceCounts.map((entry) => (
            <li key={entry.type}>
              {entry.type}: {entry.count}
            </li>
          ))}
        </ul>
      </>
    )}
  </section>
);

import type { Link } from '@shlkit/api';
import { useState } from 'preact/hooks';
import { ContentPreviewView } from '../create/content-preview.js';
import { type ContentReading, readContent } from '@shlkit/core';

export interface ReplaceContentProps {
  link: Link;
  busy: boolean;
  /** `PUT /api/links/{id}/files` with the file read here. */
  onReplace(file: { contentType: string; content: string }): void;
}

/**
 * New content for a long-term (L) link: the same link and key, new files (SHL: an L link's content may
 * change; receivers poll it). The file is read and explained as when creating a link.
 */
export const ReplaceContent = ({ link, busy, onReplace }: ReplaceContentProps) => {
  const [reading, setReading] = useState<ContentReading | null>(null);
  if (!link.longTerm) return null;
  return (
    <form
      class="stack replace"
      onSubmit={(e) => {
        e.preventDefault();
        if (reading?.ok === true) onReplace({ contentType: reading.contentType, content: reading.text });
      }}
    >
      <label>
        Replace the content <span class="hint">(long-term link: same link, new content)</span>
        <input
          type="file"
          name="replacement"
          accept=".json,.smart-health-card,application/json,application/fhir+json"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file !== undefined) void file.text().then((text) => setReading(readContent(text)));
          }}
        />
      </label>
      {reading?.ok === false && (
        <p class="error" role="alert">
          {reading.problem}
        </p>
      )}
      {reading?.ok === true && <ContentPreviewView preview={reading.preview} />}
      <div>
        <button type="submit" class="secondary" disabled={busy || reading?.ok !== true}>
          Replace content
        </button>
      </div>
    </form>
  );
};

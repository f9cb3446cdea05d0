import type { ResolvedFile, ResolvedLink } from '@shlkit/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { OpenErrorView } from '../app/open-error.js';
import { useMessages } from '../i18n/select-messages.js';
import { BundleView } from '../ips/bundle-view.js';
import { IpsView } from '../ips/ips-view.js';
import { ErrorMessage } from '../link/error-message.js';
import { GenericResource } from '../render/generic-view.js';
import { ShcView } from '../shc/shc-view.js';
import { classifyFile } from './classify-file.js';
import { DownloadButton } from './download-button.js';
import { PrintModeContext } from './print-mode.js';

export interface DocumentsViewProps {
  resolved: ResolvedLink;
  refreshing: boolean;
  error: OpenErrorView | undefined;
  /** Present for `L` links: fetch the manifest again (a person's click, never a timer). */
  onRefresh: (() => void) | undefined;
  fetch: typeof globalThis.fetch;
}

export const DocumentsView = ({ resolved, refreshing, error, onRefresh, fetch }: DocumentsViewProps) => {
  const t = useMessages();
  const { files } = resolved;
  const lastUpdated = files
    .map((f) => f.lastUpdated)
    .filter((d): d is string => typeof d === 'string')
    .sort()
    .at(-1);
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    // Ctrl+P / the browser menu: expand what we can before the page is laid out for paper.
    const expand = () => setPrinting(true);
    window.addEventListener('beforeprint', expand);
    return () => window.removeEventListener('beforeprint', expand);
  }, []);
  const print = () => {
    setPrinting(true);
    // Print once every row is in the page: after the render the state change causes.
    requestAnimationFrame(() => requestAnimationFrame(() => window.print()));
  };
  return (
    <PrintModeContext.Provider value={printing}>
      <div class="documents">
        <div class="toolbar no-print">
          {lastUpdated && (
            <p class="last-updated" data-testid="last-updated">
              {t.document.lastUpdated(formatInstant(lastUpdated, t.lang))}
            </p>
          )}
          {onRefresh && (
            <button type="button" onClick={onRefresh} disabled={refreshing} data-testid="refresh">
              {refreshing ? t.document.refreshing : t.document.refresh}
            </button>
          )}
          <button type="button" onClick={print}>
            {t.document.print}
          </button>
        </div>
        <ErrorMessage message={error?.message} detail={error?.detail} />
        {files.map((file, index) => (
          <FileView key={index} file={file} index={index} total={files.length} fetch={fetch} />
        ))}
      </div>
    </PrintModeContext.Provider>
  );
};

/** A server's timestamp in the reader's locale; shown as sent when it is not a date at all. */
const formatInstant = (value: string, lang: string): string => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(lang);
};

const FileView = ({
  file,
  index,
  total,
  fetch,
}: {
  file: ResolvedFile;
  index: number;
  total: number;
  fetch: typeof globalThis.fetch;
}) => {
  const t = useMessages();
  const classified = useMemo(() => classifyFile(file), [file]);
  let body: preact.ComponentChildren;
  switch (classified.kind) {
    case 'ips':
      body = <IpsView bundle={classified.bundle} />;
      break;
    case 'bundle':
      body = <BundleView bundle={classified.bundle} />;
      break;
    case 'fhir':
      body = (
        <>
          <h1 tabIndex={-1}>{t.document.fhirResource(classified.resource.resourceType)}</h1>
          <GenericResource resource={classified.resource} headingLevel={2} />
        </>
      );
      break;
    case 'shc':
      body = <ShcView credentials={classified.credentials} fetch={fetch} />;
      break;
    case 'api-access':
      body = <p>{t.document.apiAccess}</p>;
      break;
    case 'unknown':
      body = <ErrorMessage message={t.errors.notFhir} />;
      break;
  }
  return (
    <article class="file" aria-label={total > 1 ? t.document.fileHeading(index + 1, total) : undefined}>
      {total > 1 && <p class="file-heading muted">{t.document.fileHeading(index + 1, total)}</p>}
      {classified.kind !== 'api-access' && (
        <div class="no-print file-actions">
          <DownloadButton file={file} index={index} />
        </div>
      )}
      {body}
    </article>
  );
};

import type { ResolvedFile } from '@shlkit/client';
import { baseContentType } from '@shlkit/core';
import { useMessages } from '../i18n/select-messages.js';

/** Saves the decrypted file as the sender shared it; built in the page, nothing is sent anywhere. */
export const DownloadButton = ({ file, index }: { file: ResolvedFile; index: number }) => {
  const t = useMessages();
  const download = () => {
    const type = baseContentType(file.contentType) || 'application/json';
    const url = URL.createObjectURL(new Blob([file.text], { type }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `shared-health-data-${index + 1}.json`;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    // Revoke after the click has been handled: the download keeps its own reference.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <button type="button" onClick={download} data-testid="download">
      {t.document.download}
    </button>
  );
};

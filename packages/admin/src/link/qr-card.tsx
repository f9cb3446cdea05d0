import type { Link, ManagementClient } from '@shlkit/api';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../ui/describe-error.js';
import { formatExpiry } from '../ui/format.js';

export interface QrCardProps {
  client: ManagementClient;
  link: Link;
  /** The passcode just set, to prefill the hint (it is never put in the QR code). */
  passcode?: string | undefined;
}

const download = (blob: Blob, fileName: string) => {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/**
 * The QR code large, as a printable card: label, expiry, and a passcode hint written beside the code,
 * never inside it (SHL: the passcode is out of band). The code comes from the server (SVG) and is shown
 * as an image, so its markup never enters the page.
 */
export const QrCard = ({ client, link, passcode }: QrCardProps) => {
  const [svgUrl, setSvgUrl] = useState<string | null>(null);
  const [svgText, setSvgText] = useState<string | null>(null);
  const [hint, setHint] = useState(passcode === undefined ? '' : `Passcode: ${passcode}`);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target = link.viewerUrl ?? link.shlink;

  useEffect(() => {
    let url: string | null = null;
    let current = true;
    client.getQrSvg(link.id).then(
      (svg) => {
        if (!current) return;
        url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
        setSvgText(svg);
        setSvgUrl(url);
      },
      (failure: unknown) => current && setError(describeError(failure)),
    );
    return () => {
      current = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [client, link.id]);

  const copy = async () => {
    if (target === undefined) return;
    await navigator.clipboard.writeText(target);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  const downloadPng = async () => {
    try {
      const png = await client.getQrPng(link.id, { scale: 12 });
      download(
        new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
        `shl-${link.id.slice(0, 8)}.png`,
      );
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  if (target === undefined) {
    return <p class="hint">This link has no QR code here: the server does not hold its key.</p>;
  }
  return (
    <section class="qr-section" aria-label="QR code">
      <div class="card print-card">
        {svgUrl !== null ? (
          <img class="qr" src={svgUrl} alt="QR code of the link" width={320} height={320} />
        ) : (
          <div class="qr qr-placeholder" aria-busy="true" />
        )}
        <div class="card-text">
          <p class="card-label">{link.label ?? 'SMART Health Link'}</p>
          <p>Expires: {formatExpiry(link.expiresAt)}</p>
          <label class="no-print">
            Passcode hint (printed beside the code, never in it)
            <input name="hint" value={hint} onInput={(e) => setHint(e.currentTarget.value)} />
          </label>
          {hint !== '' && <p class="print-only hint-text">{hint}</p>}
        </div>
      </div>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="link-copy no-print">
        <label class="grow">
          Link
          <input name="shlink" readOnly value={target} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <div class="actions no-print">
        <button type="button" class="secondary" onClick={() => window.print()}>
          Print card
        </button>
        <button type="button" class="secondary" onClick={() => void downloadPng()}>
          Download PNG
        </button>
        <button
          type="button"
          class="secondary"
          disabled={svgText === null}
          onClick={() =>
            svgText !== null &&
            download(new Blob([svgText], { type: 'image/svg+xml' }), `shl-${link.id.slice(0, 8)}.svg`)
          }
        >
          Download SVG
        </button>
      </div>
    </section>
  );
};

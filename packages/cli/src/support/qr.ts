import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import QRCode from 'qrcode';
import { CliError, EXIT_CODES, usageError } from '../errors.js';

// SHL: QR codes use error correction level M and byte mode over the whole link text (with the viewer
// prefix, so that a phone camera opens the viewer). No logo inside the code.
const QR_OPTIONS = { errorCorrectionLevel: 'M' } as const;

/** A QR code drawn with half-block characters, two modules per character row. */
export const renderTerminalQr = (text: string): Promise<string> =>
  QRCode.toString(text, { ...QR_OPTIONS, type: 'terminal', small: true });

export const renderSvgQr = (text: string): Promise<string> =>
  QRCode.toString(text, { ...QR_OPTIONS, type: 'svg', margin: 4 });

export type QrFormat = 'png' | 'svg';

export const qrFormatOf = (path: string): QrFormat => {
  const extension = extname(path).toLowerCase();
  if (extension === '.png') return 'png';
  if (extension === '.svg') return 'svg';
  throw usageError(
    `cannot tell the QR image format of "${path}"`,
    'Name the file with .png or .svg, for example --qr link.png.',
  );
};

/** Writes the QR code of `text` as PNG or SVG, chosen by the file extension. */
export const writeQrFile = async (path: string, text: string): Promise<QrFormat> => {
  const format = qrFormatOf(path);
  const data =
    format === 'png'
      ? await QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', margin: 4, scale: 8 })
      : await renderSvgQr(text);
  try {
    await writeFile(path, data);
  } catch (cause) {
    throw new CliError(
      'CLI_FILE_UNWRITABLE',
      EXIT_CODES.LOCAL_FILE,
      `cannot write ${path}: ${(cause as Error).message}`,
      {
        cause,
        hint: 'Check that the directory exists and that you may write there.',
      },
    );
  }
  return format;
};

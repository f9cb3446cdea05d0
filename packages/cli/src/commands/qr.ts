import { decodeShlink, findShlink } from '@shlkit/core';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { writeJson, writeLine } from '../io.js';
import { resolvePath } from '../support/paths.js';
import { renderSvgQr, renderTerminalQr, writeQrFile } from '../support/qr.js';

export const qrCommand: Command = {
  name: 'qr',
  summary: 'draw a link as a QR code in the terminal, or write it as PNG/SVG',
  help: `Usage: shlkit qr LINK [--out FILE.png|FILE.svg] [--json]

Draws the QR code of LINK (error correction M, the whole text including any viewer prefix, as SHL
asks) in the terminal, or writes it to a PNG or SVG file chosen by the extension. The link is
checked first (offline): an invalid link gets no QR code.

Options:
  --out FILE    write the QR code to FILE (.png or .svg) instead of the terminal
  --json        print {link, out, format} (with --out) or {link, svg} as JSON
  -h, --help    show this help`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('qr', argv, {
      out: { type: 'string', short: 'o' },
      ...JSON_OPTION,
    });
    requirePositionals('qr', positionals, { min: 1, max: 1 }, 'the LINK to draw');
    // Draw the link alone, as found in what was pasted (no words, quotes or line breaks around it).
    const found = findShlink(positionals[0] ?? '');
    const link = found.viewerUrl === undefined ? found.shlink : `${found.viewerUrl}#${found.shlink}`;
    // Refuse a broken link before it is printed on paper.
    decodeShlink(link);
    if (values.out !== undefined) {
      const path = resolvePath(io, values.out);
      const format = await writeQrFile(path, link);
      if (values.json) writeJson(io, { link, out: path, format });
      else writeLine(io.stdout, `QR code written to ${path} (${format})`);
      return 0;
    }
    if (values.json) {
      writeJson(io, { link, svg: await renderSvgQr(link) });
      return 0;
    }
    io.stdout.write(await renderTerminalQr(link));
    return 0;
  },
};

import { type Static, Type } from 'typebox';

/** `GET /api/links/:id/qr.png`: `scale` is pixels per module, 1 to 20 (default 6); SVG ignores it. */
export const QrQuerySchema = Type.Object({ scale: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) });

export type QrQuery = Static<typeof QrQuerySchema>;

/** The PNG bytes of a QR code (`image/png`). */
export const QrPngSchema = Type.Unsafe<Uint8Array>({
  type: 'string',
  format: 'binary',
  description: 'the QR code (PNG)',
});

/** The SVG text of a QR code (`image/svg+xml`). */
export const QrSvgSchema = Type.Unsafe<string>({
  type: 'string',
  format: 'binary',
  description: 'the QR code (SVG)',
});

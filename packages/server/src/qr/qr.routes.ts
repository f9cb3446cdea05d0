import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { errorResponses, LinkIdParams, MANAGEMENT_SECURITY } from '../http/common-schemas.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { linkViewerUrl } from '../links/links.service.js';

// SHL: QR codes use error correction level M and carry the whole link with its viewer prefix.
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The QR code of a link's viewer URL, as PNG or SVG. */
export const qrRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);
  const schema = (format: string) => ({
    tags: ['links'],
    summary: `QR code of the viewer URL (${format}, error correction M)`,
    security: MANAGEMENT_SECURITY,
    params: LinkIdParams,
    querystring: Type.Object({ scale: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }),
    response: {
      200: Type.Unsafe<Buffer | string>({
        type: 'string',
        format: 'binary',
        description: `the QR code (${format})`,
      }),
      ...errorResponses(400, 401, 404, 409),
    },
  });

  app.get('/api/links/:id/qr.png', { schema: schema('PNG') }, async (request, reply) => {
    const text = await linkViewerUrl(deps, request.params.id);
    const png = await QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', scale: request.query.scale ?? 6 });
    return reply.type('image/png').header('cache-control', 'no-store').send(png);
  });

  app.get('/api/links/:id/qr.svg', { schema: schema('SVG') }, async (request, reply) => {
    const text = await linkViewerUrl(deps, request.params.id);
    const svg = await QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' });
    return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
  });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import QRCode from 'qrcode';
import { managementRoute } from '../http/management-route.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { linkViewerUrl } from '../links/links.service.js';
import { linkReachHook } from '../owners/link-reach.js';

// SHL: QR codes use error correction level M and carry the whole link with its viewer prefix.
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The QR code of a link's viewer URL, as PNG or SVG. */
export const qrRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getQrPng),
    preHandler: linkReachHook(deps.db, 'read'),
    handler: async (request, reply) => {
      const text = await linkViewerUrl(deps, request.params.id);
      const png = await QRCode.toBuffer(text, {
        ...QR_OPTIONS,
        type: 'png',
        scale: request.query.scale ?? 6,
      });
      return reply.type('image/png').header('cache-control', 'no-store').send(png);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getQrSvg),
    preHandler: linkReachHook(deps.db, 'read'),
    handler: async (request, reply) => {
      const text = await linkViewerUrl(deps, request.params.id);
      const svg = await QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' });
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
    },
  });
};

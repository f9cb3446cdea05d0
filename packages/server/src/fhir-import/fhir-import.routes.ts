import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { managementRoute } from '../http/management-route.js';
import type { LinkDeps } from '../links/link-deps.js';
import { principalOf } from '../auth/principal.js';
import { createLink, replaceLinkFiles, requireReplaceableLink } from '../links/links.service.js';
import { type FhirServer, fetchPatientSummary } from './fetch-patient-summary.js';
import { previewPatientSummary } from './preview-patient-summary.js';

export interface FhirImportRouteOptions {
  deps: LinkDeps;
  authenticate: preHandlerAsyncHookHandler;
  fhir: FhirServer;
}

/**
 * Links to a patient's IPS, fetched from the configured FHIR server: `POST /api/links/from-fhir` (create),
 * `POST /api/links/from-fhir/preview` (what it would share, creating nothing) and
 * `POST /api/links/{id}/content/from-fhir` (fetch again into a long-term link).
 */
export const fhirImportRoutes: FastifyPluginAsyncTypebox<FhirImportRouteOptions> = async (
  app,
  { deps, authenticate, fhir },
) => {
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createLinkFromFhir),
    handler: async (request, reply) => {
      const { patientId, ...options } = request.body;
      const content = await fetchPatientSummary(fhir, patientId);
      return reply
        .code(201)
        .send(await createLink(deps, { ...options, content }, { actor: principalOf(request).actor }));
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.previewLinkFromFhir),
    handler: async (request) => previewPatientSummary(fhir, request.body.patientId),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.replaceLinkContentFromFhir),
    handler: async (request) => {
      const { id } = request.params;
      const { patientId } = request.body;
      // Refuse a link that cannot change before asking the FHIR server anything.
      await requireReplaceableLink(deps, id);
      const content = await fetchPatientSummary(fhir, patientId);
      return replaceLinkFiles(
        deps,
        id,
        { content },
        { actor: principalOf(request).actor, details: { source: 'fhir', patientId } },
      );
    },
  });
};

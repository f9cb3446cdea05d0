import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf } from '../auth/principal.js';
import { managementRoute } from '../http/management-route.js';
import { createOnce } from '../idempotency/create-once.js';
import type { LinkDeps } from '../links/link-deps.js';
import { createLink, replaceLinkFiles, requireReplaceableLink } from '../links/links.service.js';
import { linkReachHook, presentLink, requireCreate } from '../owners/link-reach.js';
import { type FhirServer, fetchPatientSummary } from './fetch-patient-summary.js';
import { fhirRequestFor } from './fhir-request-for.js';
import { previewPatientSummary } from './preview-patient-summary.js';

export interface FhirImportRouteOptions {
  deps: LinkDeps;
  authenticate: preHandlerAsyncHookHandler;
  fhir: FhirServer;
  /** FHIR_FORWARD_USER_TOKEN: an identity-provider token is sent on to the FHIR server. */
  forwardUserToken: boolean;
}

/**
 * Links to a patient's IPS, fetched from the configured FHIR server: `POST /api/links/from-fhir` (create),
 * `POST /api/links/from-fhir/preview` (what it would share, creating nothing) and
 * `POST /api/links/{id}/content/from-fhir` (fetch again into a long-term link).
 */
export const fhirImportRoutes: FastifyPluginAsyncTypebox<FhirImportRouteOptions> = async (
  app,
  { deps, authenticate, fhir, forwardUserToken },
) => {
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createLinkFromFhir),
    onRequest: async (request) => requireCreate(principalOf(request)),
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const { patientId: asked, ...options } = request.body;
      const { patientId, authToken } = fhirRequestFor(principal, asked, {
        authToken: fhir.authToken,
        forwardUserToken,
      });
      const { link, replayed } = await createOnce(
        deps,
        {
          principal,
          key: request.headers['idempotency-key'],
          route: 'createLinkFromFhir',
          body: request.body,
        },
        // Fetched only when the request is not a retry of one that made its link already.
        async (inTransaction) => {
          const content = await fetchPatientSummary({ ...fhir, authToken }, patientId);
          return createLink(deps, { ...options, content }, { actor: principal.actor }, inTransaction);
        },
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(presentLink(principal, link));
    },
  });

  // The preview reads the same patient data a create would share: the same caller rules (issue 14).
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.previewLinkFromFhir),
    onRequest: async (request) => requireCreate(principalOf(request)),
    handler: async (request) => {
      const { patientId, authToken } = fhirRequestFor(principalOf(request), request.body.patientId, {
        authToken: fhir.authToken,
        forwardUserToken,
      });
      return previewPatientSummary({ ...fhir, authToken }, patientId);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.replaceLinkContentFromFhir),
    // Someone else's link answers 404 like an unknown one; a management token may not replace content.
    preHandler: linkReachHook(deps.db, 'replace-content'),
    handler: async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const { patientId, authToken } = fhirRequestFor(principal, request.body.patientId, {
        authToken: fhir.authToken,
        forwardUserToken,
      });
      // Refuse a link that cannot change before asking the FHIR server anything.
      await requireReplaceableLink(deps, id);
      const content = await fetchPatientSummary({ ...fhir, authToken }, patientId);
      const replaced = await replaceLinkFiles(
        deps,
        id,
        { content },
        { actor: principal.actor, details: { source: 'fhir', patientId } },
      );
      return presentLink(principal, replaced);
    },
  });
};

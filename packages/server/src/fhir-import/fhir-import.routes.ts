import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { managementRoute } from '../http/management-route.js';
import { createOnce } from '../idempotency/create-once.js';
import type { LinkDeps } from '../links/link-deps.js';
import { principalOf } from '../auth/principal.js';
import { createLink } from '../links/links.service.js';
import { type FhirServer, fetchPatientSummary } from './fetch-patient-summary.js';

export interface FhirImportRouteOptions {
  deps: LinkDeps;
  authenticate: preHandlerAsyncHookHandler;
  fhir: FhirServer;
}

/** `POST /api/links/from-fhir`: a link to a patient's IPS, fetched from the configured FHIR server. */
export const fhirImportRoutes: FastifyPluginAsyncTypebox<FhirImportRouteOptions> = async (
  app,
  { deps, authenticate, fhir },
) => {
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createLinkFromFhir),
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const { patientId, ...options } = request.body;
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
          const content = await fetchPatientSummary(fhir, patientId);
          return createLink(deps, { ...options, content }, { actor: principal.actor }, inTransaction);
        },
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(link);
    },
  });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf } from '../auth/principal.js';
import { managementRoute } from '../http/management-route.js';
import type { LinkDeps } from '../links/link-deps.js';
import { createLink } from '../links/links.service.js';
import { presentLink, requireCreate } from '../owners/link-reach.js';
import { type FhirServer, fetchPatientSummary } from './fetch-patient-summary.js';
import { fhirRequestFor } from './fhir-request-for.js';

export interface FhirImportRouteOptions {
  deps: LinkDeps;
  authenticate: preHandlerAsyncHookHandler;
  fhir: FhirServer;
  /** FHIR_FORWARD_USER_TOKEN: an identity-provider token is sent on to the FHIR server. */
  forwardUserToken: boolean;
}

/** `POST /api/links/from-fhir`: a link to a patient's IPS, fetched from the configured FHIR server. */
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
      const content = await fetchPatientSummary({ ...fhir, authToken }, patientId);
      const created = await createLink(deps, { ...options, content }, { actor: principal.actor });
      return reply.code(201).send(presentLink(principal, created));
    },
  });
};

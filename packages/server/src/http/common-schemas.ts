/**
 * The public routes' error answers, from the contract (`@shlkit/api`) like every other: one error body on
 * the wire. The management schemas that lived here moved there; this re-export only keeps
 * manifests/public.routes.ts unchanged until it imports `errorAnswers` from `@shlkit/api` itself.
 */
export { errorAnswers as errorResponses } from '@shlkit/api';

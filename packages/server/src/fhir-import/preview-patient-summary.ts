import { type ContentPreview, readContent } from '@shlkit/core';
import { ServerError } from '../errors.js';
import { type FhirServer, fetchPatientSummary } from './fetch-patient-summary.js';

/**
 * What a link to this patient's IPS would share: fetched as `POST /api/links/from-fhir` fetches it, then
 * summarised by core's `readContent`, the same summary the admin app shows for an uploaded file.
 * Creates and writes nothing.
 * @throws {ServerError} as `fetchPatientSummary`: `SHL_FHIR_NOT_CONFIGURED`, `SHL_FHIR_UPSTREAM`,
 *   `SHL_NOT_IPS`
 */
export const previewPatientSummary = async (
  server: FhirServer,
  patientId: string,
): Promise<ContentPreview> => {
  const reading = readContent(await fetchPatientSummary(server, patientId));
  // An IPS document always reads; kept as a coded error rather than an assertion should the two drift.
  if (!reading.ok) throw new ServerError('SHL_NOT_IPS', reading.problem);
  return reading.preview;
};

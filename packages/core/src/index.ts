// @shlkit/core: the SMART Health Links protocol, isomorphic (Node >= 20.19 and browsers). Runtime dependency: jose.

export {
  baseContentType,
  detectContentType,
  FHIR_JSON,
  FHIR_JSON_R4,
  SHL_CONTENT_TYPES,
  type ShlContentType,
  SMART_API_ACCESS,
  SMART_HEALTH_CARD,
  toShlContentType,
} from './content-types/content-types.js';
export {
  decodeBase64url,
  encodeBase64url,
  fromUtf8,
  isBase64url,
  randomBytes,
  utf8,
} from './encoding/base64url.js';
export { provideUint8ArrayFromBase64 } from './encoding/uint8array-from-base64.js';
export { provideUint8ArrayToBase64 } from './encoding/uint8array-to-base64.js';
export {
  ERROR_CODES,
  type ErrorAudience,
  type ErrorCode,
  type ErrorCodeOf,
  type ErrorEntry,
  type ErrorSource,
  type HttpStatusOf,
  httpStatusOf,
  isErrorCode,
  isWireErrorCode,
  type LocalErrorEntry,
  type PublicErrorCode,
  type WireErrorCode,
  type WireErrorEntry,
} from './errors/registry.js';
export {
  type ContentPreview,
  type ContentReading,
  patientName,
  readContent,
} from './content-preview/read-content.js';
export { isShlError, ShlError, type ShlErrorCode } from './errors/shl-error.js';
export { isShlkitError, ShlkitError } from './errors/shlkit-error.js';
export type { Bundle, BundleEntry, Coding, FhirResource } from './ips/fhir.js';
export { isFhirResource, LOINC } from './ips/fhir.js';
export {
  hasLoincCode,
  IPS_COMPOSITION_CODE,
  IPS_SECTIONS,
  type IpsSectionCode,
  type IpsSectionKey,
  ipsSectionKey,
  isIpsDocument,
} from './ips/ips-document.js';
export {
  createReferenceResolver,
  type ReferenceResolver,
  type ResolveContext,
} from './ips/reference-resolver.js';
export {
  DEFAULT_MAX_DECOMPRESSED_LENGTH,
  type DecryptedFile,
  type DecryptFileOptions,
  decryptFile,
} from './jwe/decrypt-file.js';
export { type EncryptFileOptions, encryptFile } from './jwe/encrypt-file.js';
export { checkShlPayload, type ShlPayloadProblem } from './links/check-payload.js';
export { decodeShlink, inspectShlink, type ShlinkInspection } from './links/decode.js';
export { type EncodeShlinkOptions, encodeShlink } from './links/encode.js';
export { type ExpiryReading, MAX_PLAUSIBLE_EXP, readExpiry } from './links/expiry.js';
export { type FoundShlink, findShlink } from './links/find-shlink.js';
export { formatFlags, hasFlag, parseFlags } from './links/flags.js';
export { generateShlId, generateShlKey } from './links/generate.js';
export {
  KEY_BYTES,
  KEY_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_URL_LENGTH,
  SHLINK_PREFIX,
  type ShlFlag,
  type ShlPayload,
  SUPPORTED_SHL_VERSION,
} from './links/payload.js';
export { assertSupportedVersion } from './links/version.js';
export {
  MANIFEST_STATUSES,
  type Manifest,
  type ManifestFile,
  type ManifestRequest,
  type ManifestStatus,
} from './manifest/manifest.js';
export { manifestStatus, parseManifest } from './manifest/parse-manifest.js';
export {
  MANIFEST_REQUEST_LIMITS,
  parseManifestRequest,
  passcodeProblem,
  recipientProblem,
} from './manifest/parse-manifest-request.js';
export { hasControlCharacters, replaceControlCharacters } from './text/control-characters.js';
export {
  type FileStatus,
  isWithdrawnStatus,
  type StatusMeaning,
  statusMeaning,
  WITHDRAWN_STATUSES,
  type WithdrawnStatus,
} from './manifest/status.js';
export { parseShcJws, type ShcContents, type ShcJwsHeader, type ShcPayload } from './shc/parse-shc-jws.js';
export {
  type Jwks,
  type ShcVerification,
  type ShcVerificationFailure,
  verifyShcJws,
} from './shc/verify-shc-jws.js';

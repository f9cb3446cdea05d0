import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';
import { LinkStatusSchema } from './link.schema.js';

/** `:id` of every `/api/links/:id` route: a 43-character base64url id (256 bits). */
export const LinkIdParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'the link id (43 base64url characters)' }),
});

export type LinkIdParams = Static<typeof LinkIdParamsSchema>;

const JsonContent = Type.Union(
  [Type.String({ minLength: 1 }), Type.Object({}, { additionalProperties: true })],
  {
    description:
      'A JSON document: an object, or its JSON text as a string (kept byte for byte). For `content`, one FHIR resource.',
  },
);

/** A file the server encrypts with the link's key. */
export const PlainFileSchema = Type.Object(
  {
    contentType: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'application/fhir+json, application/smart-health-card or application/smart-api-access',
    }),
    content: JsonContent,
  },
  { additionalProperties: false },
);

export type PlainFile = Static<typeof PlainFileSchema>;

/** A file the caller encrypted itself; a link whose files all come like this is zero-knowledge. */
export const EncryptedFileSchema = Type.Object(
  {
    contentType: Type.String({ minLength: 1, maxLength: 200 }),
    jwe: Type.String({
      minLength: 1,
      description: 'a compact JWE (alg dir, enc A256GCM) encrypted by the caller with its own link key',
    }),
  },
  { additionalProperties: false },
);

export type EncryptedFile = Static<typeof EncryptedFileSchema>;

const contentFields = {
  content: Type.Optional(JsonContent),
  files: Type.Optional(
    Type.Array(Type.Union([PlainFileSchema, EncryptedFileSchema]), { minItems: 1, maxItems: 50 }),
  ),
};

/**
 * `PUT /api/links/:id/files`: the new content of a long-term link, either `content` (one FHIR resource) or
 * `files` (1 to 50, all plain or all encrypted).
 */
export const ReplaceLinkFilesBodySchema = Type.Object(contentFields, {
  additionalProperties: false,
  description: 'Either `content` or `files`.',
});

export type ReplaceLinkFilesBody = Static<typeof ReplaceLinkFilesBodySchema>;

/**
 * SHL: `label` is at most 80 characters. Receivers count them as JavaScript does (UTF-16 code units:
 * an emoji outside the BMP is 2), so the server refuses a label whose `length` passes 80 with
 * `SHL_INVALID_LABEL`. JSON Schema's `maxLength` counts code points, so it can only say the looser
 * half of that rule; a label over 80 code points fails it (`SHL_VALIDATION_FAILED`, field `label`).
 */
const LabelSchema = Type.String({
  maxLength: 80,
  description:
    'at most 80 characters, counted as UTF-16 code units (JavaScript string length: an emoji outside the BMP counts 2); shown before any passcode',
});

const MaxUsesSchema = Type.Integer({
  minimum: 1,
  maximum: 1_000_000,
  description:
    'the use limit: after this many manifest or direct-file answers the link answers 404 (status `used-up`); a `location` GET is not a use',
});

/**
 * `POST /api/links`: the content (`content` or `files`) and the link's settings. `expiresAt` is epoch
 * seconds; `label` at most 80 characters (SHL) — see `LabelSchema` for how they are counted.
 */
export const CreateLinkBodySchema = Type.Object(
  {
    ...contentFields,
    label: Type.Optional(LabelSchema),
    passcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'sets flag P' })),
    passcodeAttempts: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: 'lifetime wrong passcodes allowed (default 5)',
      }),
    ),
    expiresAt: Type.Optional(Type.Integer({ minimum: 1, description: 'expiry in epoch seconds' })),
    longTerm: Type.Optional(Type.Boolean({ description: 'sets flag L: the content may change' })),
    direct: Type.Optional(
      Type.Boolean({ description: 'sets flag U: exactly one file, fetched by GET, no passcode' }),
    ),
    maxUses: Type.Optional(Nullable(MaxUsesSchema)),
  },
  { additionalProperties: false },
);

export type CreateLinkBody = Static<typeof CreateLinkBodySchema>;

// FHIR R4 id: [A-Za-z0-9\-\.]{1,64}
const PatientIdSchema = Type.String({
  pattern: '^[A-Za-z0-9.-]{1,64}$',
  description: 'the FHIR id of the patient (1 to 64 letters, digits, `-` and `.`)',
});

/**
 * `POST /api/links/from-fhir`: the link's settings as for `POST /api/links`, and the FHIR id of the patient
 * whose IPS the server fetches (`GET [FHIR_BASE_URL]/Patient/{patientId}/$summary`) as its content.
 * `patientId` may be left out when the caller's token carries a SMART `patient` claim (that patient is
 * used; another `patientId` answers 403 `SHL_FORBIDDEN`); otherwise it is required (400).
 */
export const CreateLinkFromFhirBodySchema = Type.Object(
  {
    // FHIR R4 id: [A-Za-z0-9\-\.]{1,64}
    patientId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9.-]{1,64}$',
        description:
          "the FHIR id of the patient (1 to 64 letters, digits, `-` and `.`); default: the token's `patient` claim",
      }),
    ),
    ...Type.Omit(CreateLinkBodySchema, ['content', 'files']).properties,
  },
  { additionalProperties: false },
);

export type CreateLinkFromFhirBody = Static<typeof CreateLinkFromFhirBodySchema>;

/**
 * `PATCH /api/links/:id`: at least one change. `null` removes the label, the expiry, the passcode or the
 * use limit;
 * `expiresAt` is epoch seconds.
 */
export const UpdateLinkBodySchema = Type.Object(
  {
    label: Type.Optional(Nullable(LabelSchema)),
    expiresAt: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    passcode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    passcodeAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    rearm: Type.Optional(Type.Boolean({ description: 'give back every passcode attempt' })),
    active: Type.Optional(
      Type.Boolean({ description: 'false deactivates (404 to receivers), true reactivates' }),
    ),
    maxUses: Type.Optional(Nullable(MaxUsesSchema)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type UpdateLinkBody = Static<typeof UpdateLinkBodySchema>;

/** `GET /api/links` sorts by creation (the default), expiry or last access. */
export const LinkSortSchema = Type.Union([
  Type.Literal('created'),
  Type.Literal('expires'),
  Type.Literal('lastAccess'),
]);

export type LinkSort = Static<typeof LinkSortSchema>;

export const SortOrderSchema = Type.Union([Type.Literal('asc'), Type.Literal('desc')]);

export type SortOrder = Static<typeof SortOrderSchema>;

/**
 * `GET /api/links`: filter by status and by label (`q`, a case-insensitive substring); sort (default
 * `created`, `desc`: newest first). Links without expiry sort as expiring last, links never accessed as
 * accessed first. `limit` 1 to 200 (default 50); `cursor` from a previous `nextCursor` of the same
 * `sort` and `order`.
 */
export const ListLinksQuerySchema = Type.Object({
  status: Type.Optional(LinkStatusSchema),
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 80, description: 'label contains this, ignoring case' }),
  ),
  sort: Type.Optional(LinkSortSchema),
  order: Type.Optional(SortOrderSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export type ListLinksQuery = Static<typeof ListLinksQuerySchema>;

/**
 * `POST /api/links/from-fhir/preview` and `POST /api/links/:id/content/from-fhir`: the FHIR id of the
 * patient whose IPS the server fetches (`GET [FHIR_BASE_URL]/Patient/{patientId}/$summary`).
 */
export const FhirPatientBodySchema = Type.Object(
  { patientId: PatientIdSchema },
  { additionalProperties: false },
);

export type FhirPatientBody = Static<typeof FhirPatientBodySchema>;

import { Type } from 'typebox';

const LinkStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
  Type.Literal('locked'),
]);

const JsonContent = Type.Union(
  [Type.String({ minLength: 1 }), Type.Object({}, { additionalProperties: true })],
  {
    description:
      'A JSON document: an object, or its JSON text as a string (kept byte for byte). For `content`, one FHIR resource.',
  },
);

const PlainFile = Type.Object(
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

const EncryptedFile = Type.Object(
  {
    contentType: Type.String({ minLength: 1, maxLength: 200 }),
    jwe: Type.String({
      minLength: 1,
      description: 'a compact JWE (alg dir, enc A256GCM) encrypted by the caller with its own link key',
    }),
  },
  { additionalProperties: false },
);

const contentFields = {
  content: Type.Optional(JsonContent),
  files: Type.Optional(Type.Array(Type.Union([PlainFile, EncryptedFile]), { minItems: 1, maxItems: 50 })),
};

export const ContentBody = Type.Object(contentFields, {
  additionalProperties: false,
  description: 'Either `content` or `files`.',
});

export const CreateLinkBody = Type.Object(
  {
    ...contentFields,
    label: Type.Optional(
      Type.String({ maxLength: 160, description: 'at most 80 characters, shown before any passcode' }),
    ),
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
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const UpdateLinkBody = Type.Object(
  {
    label: Type.Optional(Nullable(Type.String({ maxLength: 160 }))),
    expiresAt: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    passcode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    passcodeAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    rearm: Type.Optional(Type.Boolean({ description: 'give back every passcode attempt' })),
    active: Type.Optional(
      Type.Boolean({ description: 'false deactivates (404 to receivers), true reactivates' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListLinksQuery = Type.Object({
  status: Type.Optional(LinkStatusSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 20 })),
});

export const LinkSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  shlink: Type.Optional(Type.String()),
  viewerUrl: Type.Optional(Type.String()),
  payload: Type.Object(
    {
      url: Type.String(),
      key: Type.Optional(Type.String()),
      exp: Type.Optional(Type.Number()),
      flag: Type.Optional(Type.String()),
      label: Type.Optional(Type.String()),
    },
    { additionalProperties: true },
  ),
  label: Type.Union([Type.String(), Type.Null()]),
  flag: Type.String(),
  status: LinkStatusSchema,
  longTerm: Type.Boolean(),
  direct: Type.Boolean(),
  zeroKnowledge: Type.Boolean(),
  passcode: Type.Boolean(),
  passcodeAttempts: Type.Union([Type.Integer(), Type.Null()]),
  remainingAttempts: Type.Union([Type.Integer(), Type.Null()]),
  expiresAt: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  deactivatedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  fileCount: Type.Integer(),
  accessCount: Type.Integer(),
  lastAccessAt: Type.Union([Type.String(), Type.Null()]),
});

export const LinkListSchema = Type.Object({
  links: Type.Array(LinkSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/**
 * How a management caller proves who it is. Every authenticated caller has full rights.
 * The names are the OpenAPI security scheme names (`components.securitySchemes`).
 */
export const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'SHL_API_KEY or an API key from POST /api/keys',
  },
  basic: { type: 'http', scheme: 'basic', description: 'an admin user' },
} as const;

/** Every management route: a bearer API key, or an admin user's Basic credentials. */
export const MANAGEMENT_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { basic: [] }];

// The few Vite build-time values the admin app reads (instead of pulling in `vite/client` types).
interface ImportMetaEnv {
  readonly BASE_URL: string;
  readonly PROD: boolean;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

declare module '*.css' {}

// @shlkit/viewer is a browser app, built by Vite from `main.tsx` into `dist/` and served by the SHL server
// at /view. It has no library API; this module only exists for the workspace's `tsc -b`.
export {};

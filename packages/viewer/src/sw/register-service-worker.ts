/**
 * Registers the app-shell service worker so the viewer opens offline once loaded. The page usually lives at
 * `/view` (no slash, as QR links print it), which is outside the default scope `/view/` of `/view/sw.js`;
 * we ask for the wider scope `/view` and fall back to the default when the server does not allow it
 * (`Service-Worker-Allowed` header).
 */
export const registerServiceWorker = (nav: Navigator, base: string): void => {
  if (!('serviceWorker' in nav) || !import.meta.env.PROD) return;
  const script = `${base}sw.js`;
  const wide = base.replace(/\/$/, '');
  nav.serviceWorker
    .register(script, { scope: wide })
    .catch(() => nav.serviceWorker.register(script, { scope: base }))
    .catch(() => {
      // Offline use is a convenience: the viewer works online without it.
    });
};

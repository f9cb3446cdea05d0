/** The app's pages, by path under `/admin/` (the server answers index.html for each: SPA fallback). */
export type Route =
  | { page: 'dashboard' }
  | { page: 'links' }
  | { page: 'new' }
  /**
   * `created`: just made here; `passcode`: the one just set, and `managementToken`: the link's own token,
   * each shown once (the server never answers them again).
   */
  | { page: 'link'; id: string; created?: boolean; passcode?: string; managementToken?: string }
  | { page: 'audit' }
  | { page: 'users' }
  | { page: 'keys' }
  | { page: 'not-found' };

export const BASE = '/admin/';

const LINK_PATH = /^links\/([A-Za-z0-9_-]{43})$/;

export const parseRoute = (pathname: string): Route => {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname === '/admin' ? '' : null;
  if (rest === null) return { page: 'not-found' };
  // The landing page after sign-in is the dashboard.
  if (rest === '') return { page: 'dashboard' };
  if (rest === 'links') return { page: 'links' };
  if (rest === 'new') return { page: 'new' };
  if (rest === 'audit') return { page: 'audit' };
  if (rest === 'users') return { page: 'users' };
  if (rest === 'keys') return { page: 'keys' };
  const link = LINK_PATH.exec(rest);
  if (link?.[1]) return { page: 'link', id: link[1] };
  return { page: 'not-found' };
};

export const pathOf = (route: Route): string => {
  switch (route.page) {
    case 'dashboard':
      return BASE;
    case 'links':
      return `${BASE}links`;
    case 'new':
      return `${BASE}new`;
    case 'link':
      return `${BASE}links/${route.id}`;
    case 'audit':
      return `${BASE}audit`;
    case 'users':
      return `${BASE}users`;
    case 'keys':
      return `${BASE}keys`;
    case 'not-found':
      return BASE;
  }
};

import type { LinkDeps } from '../links/link-deps.js';
import type { LinkView } from '../links/link-view.js';
import { createLink } from '../links/links.service.js';
import sample from './IPS_IG_bundle-minimal.json' with { type: 'json' };

export const DEMO_LABEL = 'shlkit demo: a minimal International Patient Summary';

/**
 * On the first start of an empty embedded database, share one link to a sample IPS so that a newcomer
 * sees the whole flow at once. Returns the new link, or undefined when there already were links.
 */
export const shareDemoLink = async (deps: LinkDeps): Promise<LinkView | undefined> => {
  const existing = await deps.db.selectFrom('shl_links').select('id').limit(1).executeTakeFirst();
  if (existing !== undefined) return undefined;
  return createLink(deps, { content: sample as Record<string, unknown>, label: DEMO_LABEL });
};

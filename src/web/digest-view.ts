/** The web view of one sent digest (the "View in browser" link): the same content as the email. */
import type { WebDeps } from './context.js';
import { loadDeliveryView } from '../digest/delivery-view.js';
import { renderDigestWebPage } from '../digest/render.js';

export async function digestWebView(deps: Pick<WebDeps, 'prisma' | 'tokens' | 'templates' | 'links'> & { postalAddress: string }, token: string): Promise<string | null> {
  const payload = deps.tokens.verify(token, 'digest');
  if (!payload) return null;
  const loaded = await loadDeliveryView(deps.prisma, payload.subject, deps.links, deps.postalAddress);
  return loaded ? renderDigestWebPage(deps.templates, loaded.view) : null;
}

/** Every absolute link Paperboy puts in an email, built from PUBLIC_BASE_URL and signed tokens. */
import type { Tokens } from './subscriptions/tokens.js';
import { CONFIRM_TTL_SECONDS } from './subscriptions/subscription-service.js';

export type FeedbackChoice = 'more' | 'less';

/** "More like this" / "Less like this" on one paper of a digest. */
export type FeedbackLink = (paperId: string, choice: FeedbackChoice) => string;

export interface Links {
  confirm(subscriberId: string): string;
  manage(subscriberId: string): string;
  unsubscribe(subscriberId: string): string;
  webView(deliveryId: string): string;
  /**
   * The feedback links of one delivery: `…/feedback/<token>?paper=<paper id>&v=more|less`. One
   * token per delivery (signed once here), shared by its papers; the paper and the choice are plain
   * query parameters the page checks against the delivery's own papers.
   */
  feedback(deliveryId: string): FeedbackLink;
}

export function createLinks(publicBaseUrl: string, tokens: Tokens): Links {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    confirm: (id) => `${base}/confirm/${tokens.sign('confirm', id, CONFIRM_TTL_SECONDS)}`,
    manage: (id) => `${base}/preferences/${tokens.sign('manage', id)}`,
    unsubscribe: (id) => `${base}/unsubscribe/${tokens.sign('unsubscribe', id)}`,
    webView: (deliveryId) => `${base}/digest/${tokens.sign('digest', deliveryId)}`,
    feedback(deliveryId) {
      const page = `${base}/feedback/${tokens.sign('feedback', deliveryId)}`;
      return (paperId, choice) => `${page}?paper=${encodeURIComponent(paperId)}&v=${choice}`;
    },
  };
}

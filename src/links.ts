/** Every absolute link Paperboy puts in an email, built from PUBLIC_BASE_URL and signed tokens. */
import type { Tokens } from './subscriptions/tokens.js';
import { CONFIRM_TTL_SECONDS } from './subscriptions/subscription-service.js';

export interface Links {
  confirm(subscriberId: string): string;
  manage(subscriberId: string): string;
  unsubscribe(subscriberId: string): string;
  webView(deliveryId: string): string;
}

export function createLinks(publicBaseUrl: string, tokens: Tokens): Links {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    confirm: (id) => `${base}/confirm/${tokens.sign('confirm', id, CONFIRM_TTL_SECONDS)}`,
    manage: (id) => `${base}/preferences/${tokens.sign('manage', id)}`,
    unsubscribe: (id) => `${base}/unsubscribe/${tokens.sign('unsubscribe', id)}`,
    webView: (deliveryId) => `${base}/digest/${tokens.sign('digest', deliveryId)}`,
  };
}

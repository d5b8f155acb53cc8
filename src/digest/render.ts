/**
 * Pure: renders a DigestView to the HTML and plain-text parts. CSS is already inlined in the
 * compiled templates (see templates.ts), so a render is two template calls and nothing else.
 */
import type { TemplateSet } from './templates.js';
import type { DigestView } from './compose.js';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderDigest(templates: TemplateSet, view: DigestView): RenderedEmail {
  return {
    subject: view.subject,
    html: templates.render('email/digest.html', view),
    text: templates.render('email/digest.text', view),
  };
}

/** The same digest as a web page (the "View in browser" link): no preheader, no link to itself. */
export function renderDigestWebPage(templates: TemplateSet, view: DigestView): string {
  return templates.render('email/digest.html', { ...view, isWebView: true, preheader: '' });
}

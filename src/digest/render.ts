/** Pure: renders a DigestView to the HTML (CSS inlined) and plain-text parts. */
import juice from 'juice';
import type { TemplateSet } from './templates.js';
import type { DigestView } from './compose.js';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderDigest(templates: TemplateSet, view: DigestView): RenderedEmail {
  const html = juice(templates.render('email/digest.html', view));
  const text = templates.render('email/digest.text', view);
  return { subject: view.subject, html, text };
}

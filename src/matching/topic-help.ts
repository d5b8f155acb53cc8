/** Help for the topic field of the signup form (plain text, one line per entry, no HTML). */
export const TOPIC_HELP: readonly string[] = [
  'Describe one interest per topic: a few words or a sentence, e.g. symbolic regression.',
  'Papers are ranked by how much of your topic they cover, in the title and abstract.',
  '"exact phrase" — the paper must contain these words in this order.',
  '-word, -"phrase" or NOT word — leave out papers that contain it.',
  'a OR b — either one, e.g. RLHF OR "preference optimization".',
  'a, b — a list of short alternatives, e.g. speech synthesis, expressive TTS.',
  'cat:cs.LG — arXiv category; cat:cs.* for a whole archive.',
  'au:"Yann LeCun" — papers by this author.',
  'ti:diffusion — the word must be in the title.',
];

export const TOPIC_HELP_TEXT = TOPIC_HELP.join('\n');

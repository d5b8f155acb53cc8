/** English function words ignored in papers and topics (positions still advance past them). */
export const STOP_WORDS: ReadonlySet<string> = new Set(`
a about above after again against all also am an and any are aren as at be because been before being
below between both but by can cannot could did do does doing down during each either else etc few for
from further had has have having he her here hers herself him himself his how however i if in into is
isn it its itself just let me more most much must my myself neither no nor not now of off on once only
or other ought our ours ourselves out over own per same shall she should since so some such than that
the their theirs them themselves then there therefore these they this those though through thus to too
under until up upon us very via was we were what when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves e.g i.e vs
`.trim().split(/\s+/));

/**
 * Words that never name a subject, only how a subscriber phrases an interest ("… especially
 * expressive TTS", "anything regarding …"): dropped from topics outside quotes. Words that can be a
 * field's own ("novel view synthesis", "topic modeling", "internet of things", "new physics") are not
 * here; as a preamble they are dropped by TOPIC_PREAMBLE instead.
 */
export const TOPIC_FILLER_WORDS: ReadonlySet<string> = new Set(`
interested especially particularly anything something everything regarding concerning eg
`.trim().split(/\s+/));

/**
 * How a subscriber may open a topic before saying what it is: "I am interested in …", "looking for
 * …", "new papers on …", "anything related to …". Matched at the start only (case-insensitive), as
 * often as it repeats ("I'm interested in recent papers about …"); the rest is the topic.
 */
export const TOPIC_PREAMBLE = new RegExp(`^\\s*(?:${[
  "(?:i|we)(?:['’]m|['’]re|\\s+am|\\s+are)?\\s+(?:(?:very|mostly|mainly|especially|particularly|really|most)\\s+)?(?:interested\\s+in|looking\\s+for|following|working\\s+on)",
  "(?:i|we)(?:['’]d|\\s+would)?\\s+(?:want|like|love)(?:\\s+to\\s+(?:see|read|follow|get|receive|know\\s+about))?",
  '(?:(?:very|mostly|mainly|especially|particularly|really)\\s+)?interested\\s+in',
  'looking\\s+for',
  '(?:anything|everything|something)\\s+(?:on|about|in|regarding|concerning|related\\s+to|to\\s+do\\s+with)',
  '(?:(?:all|any|the|some)\\s+)?(?:(?:new|recent|latest|interesting|good|relevant)\\s+)?(?:papers?|articles?|preprints?|publications?|studies|work|research)\\s+(?:on|about|in|regarding|concerning|related\\s+to|dealing\\s+with)',
].join('|')})(?=\\s)`, 'i');

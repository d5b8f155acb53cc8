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
 * Words that say how a subscriber phrases an interest rather than what it is ("papers about …",
 * "I am interested in …"). Dropped from topics only; they stay searchable inside quoted phrases.
 */
export const TOPIC_FILLER_WORDS: ReadonlySet<string> = new Set(`
interested interest interests interesting paper papers article articles work works research topic topics
anything something things thing related regarding especially particularly like looking want wanted new
novel recent latest relevant e.g eg including include includes
`.trim().split(/\s+/));

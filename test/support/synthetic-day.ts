/** A small synthetic day for matching tests: 85 papers, most of them in 8 fields of 10. */
import type { MatchPaper } from '../../src/matching/types.js';

const P = (id: string, title: string, abstract: string): MatchPaper => ({ id, title, abstract });

/** A day of 80 papers in 8 fields; in the talking-head field, "head" and "face" are used interchangeably. */
export function syntheticDay(): MatchPaper[] {
  const fields: Array<[string, string[]]> = [
    ['talking', ['talking head', 'talking face', 'lip sync', 'audio driven', 'portrait video', 'facial motion']],
    ['graph', ['graph neural', 'message passing', 'node classification', 'graph attention', 'link prediction', 'molecular graphs']],
    ['speech', ['speech synthesis', 'vocoder', 'prosody', 'speaker embedding', 'mel spectrogram', 'voice cloning']],
    ['robot', ['robot grasping', 'manipulation policy', 'tactile sensing', 'motion planning', 'gripper control', 'sim to real']],
    ['galaxy', ['galaxy clusters', 'dark matter', 'redshift survey', 'weak lensing', 'cosmic shear', 'halo mass']],
    ['protein', ['protein folding', 'amino acid', 'binding affinity', 'structure prediction', 'docking score', 'enzyme design']],
    ['market', ['stock returns', 'volatility', 'portfolio risk', 'asset pricing', 'market microstructure', 'option pricing']],
    ['quantum', ['qubit noise', 'error correction', 'entanglement', 'quantum circuits', 'gate fidelity', 'decoherence']],
  ];
  const papers: MatchPaper[] = [];
  fields.forEach(([name, phrases], f) => {
    for (let i = 0; i < 10; i++) {
      const a = phrases[i % 6];
      const b = phrases[(i + 1) % 6];
      const c = phrases[(i + 3) % 6];
      papers.push(P(`${name}-${i}`, `Study ${i} of ${a} with ${b}`, `We study ${a} and ${b}. Our method improves ${c} on benchmark ${f}${i}. Results on ${b} and ${c} confirm it.`));
    }
  });
  papers.push(P('face-gen', 'Talking Face Generation from Audio', 'We generate a talking face video with lip sync from audio driven portrait video input.'));
  papers.push(P('head-nlp', "What's in your Head? Emergent Behaviour in Multi-Task Transformer Models", 'We probe the prediction head of multi-task language models and find emergent behaviour.'));
  papers.push(P('ser', 'Speech Emotion Recognition from Acoustic Features', 'We recognise emotion from speech with prosody and mel spectrogram features; recognition accuracy improves.'));
  papers.push(P('fer', 'Facial Expression Recognition in the Wild', 'Facial expression recognition from face images with transformers.'));
  papers.push(P('feg', 'Facial Expression Generation with Diffusion', 'We generate facial expressions with a diffusion model.'));
  return papers;
}

/**
 * The synthetic day split in two: a small "today" of 18 papers (two of each field, the talking-face
 * paper and the transformer-head paper) and the 67 others as the earlier papers of the same fields.
 */
export function smallDayAndEarlier(): { today: MatchPaper[]; earlier: MatchPaper[] } {
  const all = syntheticDay();
  const today = all.filter((p) => /-(8|9)$/.test(p.id) || p.id === 'face-gen' || p.id === 'head-nlp');
  return { today, earlier: all.filter((p) => !today.includes(p)) };
}

/**
 * Two senses of "expression" for feedback tests: six facial and six gene papers of today, and one
 * paper of each sense from an earlier day that a subscriber judged (`judgedFace`, `judgedGene`).
 */
export function expressionSenses(): { faces: MatchPaper[]; genes: MatchPaper[]; judgedFace: MatchPaper; judgedGene: MatchPaper } {
  const six = Array.from({ length: 6 }, (_, i) => i);
  return {
    faces: six.map((i) => P(`face-${i}`, `Facial expression analysis ${i} from face images`,
      `We study facial expression ${i} in face images with landmarks, emotion labels and action units; expression intensity of the face is estimated.`)),
    genes: six.map((i) => P(`gene-${i}`, `Gene expression profiling ${i} in single cells`,
      `We measure gene expression ${i} with RNA sequencing of cells; transcript counts and regulatory networks explain expression levels.`)),
    judgedFace: P('old-face', 'Facial expression recognition with landmarks', 'Emotion labels of face images from facial landmarks and action units; the expression of the face.'),
    judgedGene: P('old-gene', 'Gene expression in single cells', 'RNA sequencing of cells measures gene expression; transcript counts and regulatory networks.'),
  };
}

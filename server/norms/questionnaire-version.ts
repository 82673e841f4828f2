import { createHash } from 'node:crypto';
import type { QuestionnaireSnapshot } from '../../reports/types';

/**
 * Which questionnaire a round's figures can be compared on. Two rounds used the same version when
 * their frozen questionnaires have the same scale (points and labels) and the same competencies and
 * items, with the same ids, names and texts, in the same order: then an item's figure means the same
 * thing in both. The questionnaire's own name, its descriptions and its open questions are left out
 * (they change no figure), so a renamed copy is still the same version, and an edited item is not.
 * The version is the SHA-256 of exactly those parts, as hex.
 *
 * @example
 * questionnaireVersionOf(round.snapshot); // '3f1c…' (64 hex digits)
 */
export function questionnaireVersionOf(snapshot: QuestionnaireSnapshot): string {
  const rated = {
    scale: { points: snapshot.scale.points, labels: snapshot.scale.labels },
    competencies: snapshot.competencies.map((competency) => ({
      id: competency.id,
      name: competency.name,
      items: competency.items.map((item) => ({ id: item.id, text: item.text })),
    })),
  };
  return createHash('sha256').update(JSON.stringify(rated)).digest('hex');
}

/** The short form pages show beside the questionnaire's name ("version 3f1c9a0b"). */
export function shortVersion(version: string): string {
  return version.slice(0, 8);
}

/** What the pages show of a questionnaire version. */
export interface QuestionnaireVersionSummary {
  version: string;
  questionnaireName: string;
  competencies: number;
  items: number;
}

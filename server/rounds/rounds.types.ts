import type { RaterGroup } from '../../reports/types';
import type { InvitationsTable, RoundsTable } from '../db/schema';
import type { Language } from '../i18n/languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';

export type { RaterGroup };

export type RoundPurpose = RoundsTable['purpose'];
export type RoundStatus = RoundsTable['status'];
export type InvitationStatus = InvitationsTable['status'];

/** One run of a questionnaire for one client: baseline, pulse or evaluation. */
export interface Round {
  id: string;
  coachId: string;
  engagementId: string;
  questionnaireId: string | null;
  /** The questionnaire frozen into the round at launch (or at creation, for a re-run or a pulse). */
  snapshot: QuestionnaireDefinition | null;
  purpose: RoundPurpose;
  status: RoundStatus;
  deadline: string;
  message: string;
  k: number;
  tau: number | null;
  baselineRoundId: string | null;
  nominationRequestedAt: string | null;
  nominationSubmittedAt: string | null;
  createdAt: string;
  launchedAt: string | null;
  closedAt: string | null;
  reopenedAt: string | null;
  /** Pulse rounds: the day the question counts from ("Since 3 March, has…"). */
  pulseSince: string | null;
  /** The latest published version of the round's figures; 0 while none is (docs/anonymity.md, rule 3). */
  publishedVersion: number;
  /** What its raters read unless the coach chose another language for one of them, and the language comments stay anonymous in. */
  language: Language;
}

/** A round as the engagement list shows it (the latest of each engagement). */
export type RoundSummary = Pick<Round, 'id' | 'engagementId' | 'purpose' | 'status' | 'deadline' | 'publishedVersion'>;

/** What creating a round sets; status, nomination and launch times start empty. */
export type NewRound = Pick<
  Round,
  'id' | 'coachId' | 'engagementId' | 'questionnaireId' | 'snapshot' | 'purpose' | 'deadline' | 'message' | 'k' | 'tau' | 'baselineRoundId' | 'createdAt' | 'language'
> &
  Partial<Pick<Round, 'pulseSince'>>;

/** One rater's place in a round: email, group, status (with its day, never a time). */
export interface Invitation {
  id: string;
  roundId: string;
  groupKey: string;
  email: string;
  name: string;
  isClient: boolean;
  status: InvitationStatus;
  statusOn: string | null;
  declineReason: string | null;
  lastRemindedOn: string | null;
  /** The language of this rater's survey and emails: chosen by the coach, changed by the rater on the survey page. */
  language: Language;
}

/** Invitations of a round per status: what the response rate is computed from. */
export interface InvitationCounts {
  /** Asked: invited, opened, completed or declined (not those still pending). */
  invited: number;
  opened: number;
  completed: number;
  declined: number;
}

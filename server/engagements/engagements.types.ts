import type { Language } from '../i18n/languages';
import type { Stage } from './stages';

/** What the coach writes about the client. */
export interface EngagementFields {
  clientName: string;
  clientEmail: string;
  organisation: string;
  role: string;
  startDate: string;
  notes: string;
  /** The client's language (their released report, the emails they get); kept when not given. */
  language?: Language;
}

/** One coaching relationship between a coach and a client. */
export interface Engagement extends EngagementFields {
  id: string;
  /** The client's language: their released report and the emails they get are written in it. */
  language: Language;
  coachId: string;
  stage: Stage;
  archived: boolean;
  /** When it was archived: raters' personal data is erased RETENTION_DAYS later (privacy.service). */
  archivedAt: string | null;
  /** The day that erasure ran, null before. */
  raterDataErasedOn: string | null;
  closingNote: string;
  createdAt: string;
  updatedAt: string;
}

/** The day the engagement entered a stage, on its timeline. */
export interface StageEntry {
  id: string;
  stage: Stage;
  enteredOn: string;
}

/** Where a page of the engagement list starts: after the engagement last changed at `updatedAt` with this id. */
export type EngagementPosition = [updatedAt: string, id: string];

/** What the engagement list shows: a search, a stage, active or archived ones. */
export interface EngagementFilter {
  /** In the client's name or organisation; '' for every engagement. */
  search: string;
  stage: Stage | null;
  archived: boolean;
}

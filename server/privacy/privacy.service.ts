/**
 * What a practice must be able to account for: the privacy notice raters confirm, the erasure of
 * raters' personal data some time after an engagement is archived, and finding, exporting and
 * erasing everything held about one email address. Submitted answers are stored without any link
 * to a person (docs/anonymity.md, rule 6): they can be neither found nor erased by address, and
 * the pages say so rather than pretend.
 */
import type { Coach } from '../auth/coach';
import { addDays, dayOf, type Clock } from '../clock';
import type { Db } from '../db/schema';
import type { Translator } from '../i18n/translator';
import { ForbiddenError, InvalidError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import * as repo from './privacy.repository';
import { deleteEngagements } from '../engagements/engagements.repository';
import type { PersonalRecords } from './privacy.repository';

const NOTICE_KEY = 'privacy-notice';

export interface PrivacyNotice {
  text: string;
  /** 0 for the built-in notice; each change made by an administrator adds one. */
  version: number;
  updatedOn: string | null;
  builtIn: boolean;
}

const BUILT_IN_PARAGRAPHS = ['intro', 'kept', 'who', 'howLong', 'rights'] as const;

/**
 * The notice every installation starts with, in plain words, in the reader's language.
 * `retentionDays` is the installation's setting, so the notice says what the server really does.
 */
export function defaultPrivacyNotice(retentionDays: number, translator: Translator): string {
  return BUILT_IN_PARAGRAPHS.map((paragraph) => translator.t(`privacy.builtIn.${paragraph}`, { days: retentionDays })).join('\n\n');
}

async function storedNotice(db: Db): Promise<{ text: string; version: number; updatedOn: string } | null> {
  const stored = await repo.readSetting(db, NOTICE_KEY);
  if (!stored) return null;
  const { text, version } = JSON.parse(stored.value) as { text: string; version: number };
  return { text, version, updatedOn: stored.updatedOn };
}

/**
 * The notice as a reader sees it: the administrator's text (in the practice's own language) once
 * there is one, else the built-in one in `translator`'s language.
 */
export async function privacyNotice(db: Db, retentionDays: number, translator: Translator): Promise<PrivacyNotice> {
  const stored = await storedNotice(db);
  if (!stored) return { text: defaultPrivacyNotice(retentionDays, translator), version: 0, updatedOn: null, builtIn: true };
  return { ...stored, builtIn: false };
}

/** The version a rater confirms now (0 for the built-in notice). */
export async function privacyNoticeVersion(db: Db): Promise<number> {
  return (await storedNotice(db))?.version ?? 0;
}

export const MAX_NOTICE_CHARACTERS = 10_000;

/** An administrator replaces the notice; raters who answer from now on confirm the new version. */
export async function savePrivacyNotice(db: Db, clock: Clock, admin: Coach, text: string): Promise<PrivacyNotice> {
  assertAdmin(admin);
  const trimmed = text.replace(/\r\n/g, '\n').trim();
  if (trimmed.length < 40) throw new InvalidError(new Phrase('error.privacy.tooShort'), phrasedFields({ text: new Phrase('error.privacy.tooShortHint') }));
  if (trimmed.length > MAX_NOTICE_CHARACTERS) throw new InvalidError(new Phrase('error.privacy.tooLong'), phrasedFields({ text: new Phrase('error.privacy.keepUnder', { max: MAX_NOTICE_CHARACTERS }) }));
  const version = (await privacyNoticeVersion(db)) + 1;
  await repo.writeSetting(db, NOTICE_KEY, JSON.stringify({ text: trimmed, version }), dayOf(clock.now()));
  return { text: trimmed, version, updatedOn: dayOf(clock.now()), builtIn: false };
}

/** The paragraphs of a notice, for pages and emails. */
export function noticeParagraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean);
}

// ───────────── retention ─────────────

export interface RetentionTally {
  engagements: number;
  invitations: number;
  nominations: number;
  messages: number;
}

/**
 * Erases the raters' personal data of engagements archived at least `retentionDays` ago: their
 * addresses, names and decline reasons, drafts, links, nominations, and every message of their
 * rounds (with its body). Responses stay: they name no one. Each engagement is done once, in its
 * own transaction; running again finds nothing more to do.
 */
export async function eraseExpiredRaterData(db: Db, clock: Clock, retentionDays: number): Promise<RetentionTally> {
  const tally: RetentionTally = { engagements: 0, invitations: 0, nominations: 0, messages: 0 };
  const archivedBy = addDays(clock.now(), -retentionDays).toISOString();
  for (;;) {
    const due = await repo.listEngagementsDueForErasure(db, archivedBy, 20);
    if (due.length === 0) return tally;
    for (const engagementId of due) {
      await db.transaction().execute(async (trx) => {
        const data = await repo.raterDataOfEngagement(trx, engagementId);
        tally.invitations += await repo.eraseInvitations(trx, data.invitationIds);
        tally.nominations += await repo.deleteNominations(trx, data.nominationIds);
        tally.messages += await repo.deleteMessages(trx, data.messageIds);
        await repo.markRaterDataErased(trx, engagementId, dayOf(clock.now()));
      });
      tally.engagements += 1;
      // SQLite answers synchronously: let requests in between engagements.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

// ───────────── one person's data ─────────────

function assertAdmin(coach: Coach): void {
  if (!coach.isAdmin) throw new ForbiddenError(new Phrase('error.adminOnly'));
}

function normalisedAddress(email: string): string {
  const address = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address) || address.length > 254) throw new InvalidError(new Phrase('error.privacy.enterEmail'), phrasedFields({ email: new Phrase('error.privacy.enterEmailHint') }));
  return address;
}

/** What can never be found by address, said next to every search result and export. */
export const NOT_FINDABLE =
  'Submitted answers are stored without any link to the person who gave them, so they cannot be found, exported or erased by email address. They stay, anonymous, in the reports they belong to, and are deleted with their engagement.';

export interface PersonalDataReport {
  email: string;
  records: PersonalRecords;
  total: number;
  notFindable: string;
}

export async function findPersonalData(db: Db, admin: Coach, email: string): Promise<PersonalDataReport> {
  assertAdmin(admin);
  const address = normalisedAddress(email);
  const records = await repo.findPersonalRecords(db, address);
  const total = Object.values(records).reduce((sum, rows) => sum + rows.length, 0);
  return { email: address, records, total, notFindable: NOT_FINDABLE };
}

export interface ErasureTally {
  invitations: number;
  nominations: number;
  messages: number;
  signInFailures: number;
  coachInvitations: number;
  engagements: number;
  coaches: number;
}

/**
 * Erases everything held about one address, in one transaction: as a rater (address, name,
 * decline reason, draft and links of every invitation; nominations; messages), as a client (their
 * engagements, with every round, answer and report in them: feedback about a person is theirs too),
 * as a coach (the account and everything it owns; never the administrator's own account), and
 * sign-in failures and coach invitations. A second search finds nothing.
 */
export async function erasePersonalData(db: Db, admin: Coach, email: string): Promise<ErasureTally> {
  const report = await findPersonalData(db, admin, email);
  if (report.records.coaches.some((coach) => coach.id === admin.id)) {
    throw new InvalidError(new Phrase('error.privacy.ownAccount'), phrasedFields({ email: new Phrase('error.privacy.ownAccountHint') }));
  }
  const { records } = report;
  return db.transaction().execute(async (trx) => ({
    invitations: await repo.eraseInvitations(trx, records.invitations.map((row) => row.id)),
    nominations: await repo.deleteNominations(trx, records.nominations.map((row) => row.id)),
    messages: await repo.deleteMessages(trx, records.messages.map((row) => row.id)),
    signInFailures: await repo.deleteSignInFailures(trx, report.email),
    coachInvitations: await repo.deleteCoachInvitations(trx, records.coachInvitations.map((row) => row.id)),
    engagements: await deleteEngagements(trx, records.clients.map((row) => row.id)),
    coaches: await repo.deleteCoaches(trx, records.coaches.map((row) => row.id)),
  }));
}

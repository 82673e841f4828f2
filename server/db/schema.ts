/**
 * The Kysely types of every table, in one file beside the migrations that create them. Longer than
 * 350 lines because it lists the whole schema, one interface per table, and is read as a whole.
 */
import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';

/** The database handle (or a transaction) every repository function takes first. */
export type Db = Kysely<Database>;

/** Kysely's view of the tables. snake_case here; repositories map rows to camelCase domain objects. */
export interface Database {
  coaches: CoachesTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  coach_invitations: CoachInvitationsTable;
  login_failures: LoginFailuresTable;
  engagements: EngagementsTable;
  engagement_stages: EngagementStagesTable;
  questionnaires: QuestionnairesTable;
  outbox: OutboxTable;
  rounds: RoundsTable;
  rater_groups: RaterGroupsTable;
  invitations: InvitationsTable;
  invitation_tokens: InvitationTokensTable;
  portal_links: PortalLinksTable;
  portal_link_invitations: PortalLinkInvitationsTable;
  drafts: DraftsTable;
  responses: ResponsesTable;
  round_versions: RoundVersionsTable;
  nominations: NominationsTable;
  round_reminders: RoundRemindersTable;
  report_releases: ReportReleasesTable;
  focus_areas: FocusAreasTable;
  action_steps: ActionStepsTable;
  api_tokens: ApiTokensTable;
  rate_limit_windows: RateLimitWindowsTable;
  installation_settings: InstallationSettingsTable;
  round_questionnaire_versions: RoundQuestionnaireVersionsTable;
  norms: NormsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  shown_team_reports: ShownTeamReportsTable;
  practice_branding: PracticeBrandingTable;
}

export interface CoachesTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  created_at: string;
  /** One of server/i18n/languages.ts LANGUAGES (migration 2026-12-07-01). */
  language: Generated<string>;
}

export interface SessionsTable {
  id_hash: string;
  coach_id: string;
  created_at: string;
  expires_at: string;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: string;
}

export interface CoachInvitationsTable {
  id: string;
  email: string;
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

export interface LoginFailuresTable {
  id: string;
  email: string;
  ip: string;
  failed_at: string;
}

export interface EngagementsTable {
  id: string;
  coach_id: string;
  client_name: string;
  client_email: string;
  organisation: string;
  role: string;
  start_date: string;
  notes: string;
  stage: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  closing_note: Generated<string>;
  /** One of server/i18n/languages.ts LANGUAGES (migration 2026-12-07-01). */
  language: Generated<string>;
  /** The day the retention job erased the raters' personal data of this archived engagement. */
  rater_data_erased_on: string | null;
  /** Client name and organisation folded for search: lower case, without accents. */
  search_text: Generated<string>;
}

export interface EngagementStagesTable {
  id: string;
  engagement_id: string;
  stage: string;
  entered_on: string;
  recorded_at: string;
}

export interface QuestionnairesTable {
  id: string;
  coach_id: string | null;
  is_builtin: number;
  name: string;
  definition: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  message: string | null;
  action_url: string | null;
  message_id: string;
  round_id: string | null;
  invitation_id: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** 1: deleted once sent or failed for good (see QueuedEmail.forgetWhenDone). */
  forget_when_done: Generated<number>;
  /** The email this one travels in (QueuedEmail.carrierId): never sent on its own while that one exists. */
  carrier_id: string | null;
}

export type CoachRow = Selectable<CoachesTable>;
export type EngagementRow = Selectable<EngagementsTable>;
export type QuestionnaireRow = Selectable<QuestionnairesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type EngagementUpdate = Updateable<EngagementsTable>;

export interface RoundsTable {
  id: string;
  coach_id: string;
  engagement_id: string;
  questionnaire_id: string | null;
  questionnaire_snapshot: string | null;
  purpose: 'baseline' | 'pulse' | 'evaluation';
  status: 'draft' | 'open' | 'closed';
  deadline: string;
  message: string;
  k: number;
  tau: number | null;
  /** One of server/i18n/languages.ts LANGUAGES (migration 2026-12-07-01). */
  language: Generated<string>;
  baseline_round_id: string | null;
  nomination_token_hash: string | null;
  nomination_requested_at: string | null;
  nomination_submitted_at: string | null;
  created_at: string;
  launched_at: string | null;
  closed_at: string | null;
  reopened_at: string | null;
  pulse_since: string | null;
  /** The latest published version of the round's figures; 0 while none is. */
  published_version: Generated<number>;
  /** 1 while the round has responses not yet re-stored in a random order (mixed). */
  responses_to_mix: Generated<number>;
}

export interface RaterGroupsTable {
  round_id: string;
  key: string;
  label: string;
  minimum: number;
  anonymous: number;
  is_self: number;
  position: number;
}

export interface InvitationsTable {
  id: string;
  round_id: string;
  group_key: string;
  email: string;
  name: string;
  is_client: number;
  /** One of server/i18n/languages.ts LANGUAGES (migration 2026-12-07-01). */
  language: Generated<string>;
  status: 'pending' | 'invited' | 'opened' | 'completed' | 'declined';
  /** The day (never a time) the status last changed. */
  status_on: string | null;
  decline_reason: string | null;
  last_reminded_on: string | null;
  position: number;
  /** The version of the privacy notice the rater confirmed before answering, and the day. */
  notice_version: number | null;
  notice_read_on: string | null;
}

export interface InvitationTokensTable {
  token_hash: string;
  invitation_id: string;
}

/** A rater's link to the page of every survey they owe one coach (server/portal); the hash of its token only, no address, no time. */
export interface PortalLinksTable {
  id: string;
  token_hash: string;
  coach_id: string;
  /** The unsent email the link was made for: rewriting that email gives the link a new token. */
  outbox_id: string | null;
}

/** The invitations a portal link was sent for: the rater (their address) is found through them. */
export interface PortalLinkInvitationsTable {
  link_id: string;
  invitation_id: string;
}

export interface DraftsTable {
  invitation_id: string;
  answers: string;
}

export interface ResponsesTable {
  id: string;
  round_id: string;
  group_key: string;
  answers: string;
  /** The published version the response joined; null while it is in none. */
  version: number | null;
  /** 0 until the response has been re-stored among others in a random order. */
  mixed: Generated<number>;
}

/** One published version of a round's figures. */
export interface RoundVersionsTable {
  round_id: string;
  version: number;
  /** The day only: the moment would tell when the answer that completed the version came. */
  published_on: string;
  /** Invitations per group key when it was published, JSON: the version's response rates. */
  invited: Generated<string>;
}

export interface NominationsTable {
  id: string;
  round_id: string;
  group_key: string;
  email: string;
  name: string;
  status: 'proposed' | 'approved' | 'rejected';
  position: number;
}

export interface RoundRemindersTable {
  round_id: string;
  days_before: number;
  sent_at: string;
  skipped: number;
}

export type RoundRow = Selectable<RoundsTable>;
export type InvitationRow = Selectable<InvitationsTable>;

export interface ReportReleasesTable {
  id: string;
  round_id: string;
  version: number;
  note: string;
  /** The report model as released, JSON. */
  report: string;
  token_hash: string;
  released_at: string;
  expires_at: string;
  revoked_at: string | null;
  superseded_at: string | null;
  /** The round version released; null for releases made before versions existed. */
  report_version: number | null;
}

export interface FocusAreasTable {
  id: string;
  engagement_id: string;
  round_id: string;
  type: 'competency' | 'item';
  ref_id: string;
  label: string;
  goal: string;
  position: number;
}

export interface ActionStepsTable {
  id: string;
  focus_area_id: string;
  description: string;
  due_on: string | null;
  status: 'planned' | 'in-progress' | 'done';
  position: number;
}

export interface ApiTokensTable {
  id: string;
  coach_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_on: string | null;
  revoked_at: string | null;
}

/** One fixed window of one rate limit (API calls per token, link misses per address). */
export interface RateLimitWindowsTable {
  limiter: string;
  key: string;
  window_start: string;
  hits: number;
  expires_at: string;
}

/** A setting of the whole installation (e.g. the privacy notice), as JSON. */
export interface InstallationSettingsTable {
  key: string;
  value: string;
  updated_on: string;
}

/** The questionnaire version a launched round used (server/norms/questionnaire-version.ts), written on first look. */
export interface RoundQuestionnaireVersionsTable {
  round_id: string;
  version: string;
  questionnaire_name: string;
  competencies: number;
  items: number;
}

/** A frozen practice norm (reports/norms.ts): never changed after creation, only archived. */
export interface NormsTable {
  id: string;
  coach_id: string;
  questionnaire_version: string;
  questionnaire_name: string;
  /** 1, 2, … per coach and questionnaire version. */
  sequence: number;
  name: string;
  leaders: number;
  minimum_leaders: number;
  /** The number of leaders no combination of visible norms may single out fewer than. */
  k: number;
  /** The questionnaire's competencies and items (ids, names, texts) and scale points, JSON. */
  structure: string;
  /** Per subject id: the leaders' values and their ids, each sorted on its own, JSON. */
  subjects: string;
  created_at: string;
  archived_at: string | null;
}

/** A coach's set of engagements seen together in a team report. */
export interface TeamsTable {
  id: string;
  coach_id: string;
  name: string;
  questionnaire_version: string;
  questionnaire_name: string;
  created_at: string;
  updated_at: string;
}

export interface TeamMembersTable {
  team_id: string;
  engagement_id: string;
  added_at: string;
}

/** A team report as someone was shown it: which leaders stand behind each figure (server/teams, migration 2026-12-08-01). */
export interface ShownTeamReportsTable {
  id: string;
  coach_id: string;
  questionnaire_version: string;
  team_id: string;
  /** SHA-256 of the footprint, so the same report shown again is one row. */
  signature: string;
  /** JSON { leaders: leader keys, subjects: { subject id: indexes into leaders } }. */
  footprint: string;
  first_shown_at: string;
}

/** The installation's look, one row (id 'installation'), set by the administrator (server/branding). */
export interface PracticeBrandingTable {
  id: string;
  practice_name: string | null;
  /** '#rrggbb', as chosen; pages derive readable shades from it (server/branding/palette.ts). */
  accent_colour: string | null;
  sender_name: string | null;
  reply_to: string | null;
  /** The PNG the server made of the upload, never the uploaded bytes. */
  logo: Buffer | null;
  logo_hash: string | null;
  logo_width: number | null;
  logo_height: number | null;
  updated_at: string;
}

import type { Migration } from 'kysely';
import * as foundation from './2026-11-21-01-foundation';
import * as rounds from './2026-11-21-02-rounds';
import * as reportReleases from './2026-11-21-03-report-releases';
import * as goals from './2026-11-21-04-goals';
import * as apiTokens from './2026-11-21-05-api-tokens';
import * as reportVersions from './2026-12-04-01-report-versions';
import * as rateLimits from './2026-12-04-02-rate-limits';
import * as raterGroups from './2026-12-04-03-rater-groups';
import * as responseMixing from './2026-12-04-04-response-mixing';
import * as engagementSearch from './2026-12-05-01-engagement-search';
import * as privacy from './2026-12-05-02-privacy';
import * as raterPortal from './2026-12-06-01-rater-portal';
import * as normsTeams from './2026-12-06-02-norms-teams';
import * as branding from './2026-12-06-04-branding';
import * as languages from './2026-12-07-01-languages';
import * as closedBaselinesIndex from './2026-12-07-02-closed-baselines-index';
import * as shownTeamReports from './2026-12-08-01-shown-team-reports';

/** Every migration, by date-prefixed name. Listed statically so the same code runs under tsx and in tests. */
export const migrations: Record<string, Migration> = {
  '2026-11-21-01-foundation': foundation,
  '2026-11-21-02-rounds': rounds,
  '2026-11-21-03-report-releases': reportReleases,
  '2026-11-21-04-goals': goals,
  '2026-11-21-05-api-tokens': apiTokens,
  '2026-12-04-01-report-versions': reportVersions,
  '2026-12-04-02-rate-limits': rateLimits,
  '2026-12-04-03-rater-groups': raterGroups,
  '2026-12-04-04-response-mixing': responseMixing,
  '2026-12-05-01-engagement-search': engagementSearch,
  '2026-12-05-02-privacy': privacy,
  '2026-12-06-01-rater-portal': raterPortal,
  '2026-12-06-02-norms-teams': normsTeams,
  '2026-12-06-04-branding': branding,
  '2026-12-07-01-languages': languages,
  '2026-12-07-02-closed-baselines-index': closedBaselinesIndex,
  '2026-12-08-01-shown-team-reports': shownTeamReports,
};

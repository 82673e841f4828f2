/**
 * The report engine's public API. Pure: no I/O, no clock, no randomness beyond a seeded generator,
 * no imports from server/. Input: questionnaire snapshot + rater groups + responses; output: plain,
 * JSON-serialisable report models.
 */
export { buildReport } from './build-report';
export { buildChangeReport, CONFIDENCE_LEVEL } from './change-report';
export { buildPulseReport, PULSE_MAX, PULSE_MIN } from './pulse-report';
export { ReportInputError } from './errors';
export { effectiveMinimum } from './anonymity';
export { buildNorm, buildNormFromFigures, findLeaderLeak, normFigures, placeInNorm, TOP_PERCENTILE, type LeaderAggregate, type Norm, type NormFigures, type NormLeader, type NormPlacement, type NormSubject } from './norms';
export { buildTeamReport, teamFootprint, teamSubject, type TeamCompetency, type TeamFigure, type TeamItem, type TeamWithholding, type TeamLeader, type TeamReport } from './team-report';
export { ALL_OTHERS_LABEL } from './round-groups';
export { heldBack, proposePulseVersion, proposeRoundVersion, pulseOfVersion, reportOfVersion, responsesOfVersion } from './versions';
export { DEFAULT_K } from './validation';
export type * from './types';

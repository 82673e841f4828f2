/**
 * Thrown when a report input is structurally impossible (no self group, duplicate ids, a scale
 * whose labels do not match its points...). The server validates before calling the engine, so
 * this signals a programming error, not a user mistake; `code` lets the caller map it anyway.
 *
 * @example
 * try { buildReport(input) } catch (e) { if (e instanceof ReportInputError) console.log(e.code) }
 * // 'INVALID_REPORT_INPUT'
 */
export class ReportInputError extends Error {
  readonly code = 'INVALID_REPORT_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

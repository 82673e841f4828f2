import { afterAll, beforeAll } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import type { DatabaseKind } from '../../server/db/connect';
import type { TestBrowser } from './http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from './test-app';

/**
 * For a describe block: a fresh app on a `kind` database, a coach, and a browser signed in as
 * them, created before its tests and closed after them. Read the fields inside the tests.
 */
export function signedInCoachPerSuite(kind: DatabaseKind): { context: TestContext; coach: Coach; browser: TestBrowser } {
  const suite = {} as { context: TestContext; coach: Coach; browser: TestBrowser };
  beforeAll(async () => {
    suite.context = await createTestContext(kind);
    suite.coach = await createCoach(suite.context);
    suite.browser = await signedInBrowser(suite.context, suite.coach);
  });
  afterAll(() => suite.context.close());
  return suite;
}

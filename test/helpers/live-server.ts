import { serve, type ServerType } from '@hono/node-server';
import type { DatabaseKind } from '../../server/db/connect';
import { freePort } from './free-port';
import { createTestContext, type TestContext } from './test-app';
import type { Config } from '../../server/config';
import type { Mailer } from '../../server/mail/mailer';

export interface LiveServer {
  context: TestContext;
  url: string;
  close(): Promise<void>;
}

/** The test app served over real HTTP on 127.0.0.1, for browsers and other processes. */
export async function startLiveServer(kind: DatabaseKind, options: { mailer?: (config: Config) => Mailer } = {}): Promise<LiveServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const context = await createTestContext(kind, { ...options, env: { PUBLIC_URL: url } });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: context.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(started));
  });
  return {
    context,
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await context.close();
    },
  };
}

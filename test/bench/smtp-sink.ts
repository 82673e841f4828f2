import { freePort } from '../helpers/free-port';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  host: string;
  port: number;
  /** Messages accepted so far, in total and by the domain of their first recipient. */
  total(): number;
  count(domain: string): number;
  stop(): Promise<void>;
}

function recipientDomain(address: string | undefined): string {
  return (address ?? '').split('@')[1]?.toLowerCase() ?? '';
}

/**
 * A real SMTP server on 127.0.0.1 that only counts. Parsing every message (as the test helper does)
 * would cost the bench process CPU that the server under test needs on a 2-core machine, so the
 * body is drained unread and messages are told apart by their envelope recipient's domain.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const byDomain = new Map<string, number>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('end', () => {
        const domain = recipientDomain(session.envelope.rcptTo[0]?.address);
        byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
        total += 1;
        callback();
      });
      stream.resume();
    },
  });
  // A client dropping its connection is not the bench's problem; without a listener it would crash the process.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    total: () => total,
    count: (domain) => byDomain.get(domain.toLowerCase()) ?? 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

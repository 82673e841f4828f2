import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DatabaseKind } from '../../server/db/connect';
import { createSmtpMailer, type Mailer } from '../../server/mail/mailer';
import { freePort } from './free-port';
import { createTestContext, type TestContext } from './test-app';

export type SmtpMode = 'accept' | 'temporary' | 'busy' | 'permanent' | 'stall' | 'slow';

export interface TestSmtpServer {
  port: number;
  url: string;
  messages: ParsedMail[];
  /** Messages by Message-ID, to see duplicates. */
  deliveries: Map<string, number>;
  mode: SmtpMode;
  /** In 'slow' mode: how long the server keeps a message before answering that it took it. */
  slowReplyMs: number;
  /** Addresses refused at RCPT TO with 550, as a server refuses an unknown mailbox, whatever the mode. */
  unknownMailboxes: Set<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A pooled nodemailer transport to this server, as production uses. */
  mailer(from?: string, timeouts?: { socketTimeout?: number }): Mailer;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that parses what it receives. `mode` makes it answer like a
 * failing server: 451 (temporary), 421 (busy, closing), 550 (permanent), not at all (stall), or
 * like a slow one (slow: it keeps the message, then answers after `slowReplyMs`).
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const port = await freePort();
  let server: SMTPServer | null = null;
  const state: TestSmtpServer = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages: [],
    deliveries: new Map(),
    mode: 'accept',
    slowReplyMs: 35_000,
    unknownMailboxes: new Set(),
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (!state.unknownMailboxes.has(address.address.toLowerCase())) return callback();
          callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
        },
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const mode = state.mode;
            if (mode === 'stall') return; // never answer: the client must time out
            if (mode !== 'accept' && mode !== 'slow') {
              const code = mode === 'temporary' ? 451 : mode === 'busy' ? 421 : 550;
              const error = Object.assign(new Error(mode === 'permanent' ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code });
              return callback(error);
            }
            const delay = mode === 'slow' ? state.slowReplyMs : 0;
            void simpleParser(Buffer.concat(chunks)).then((mail) => {
              state.messages.push(mail);
              const id = mail.messageId ?? '';
              state.deliveries.set(id, (state.deliveries.get(id) ?? 0) + 1);
              setTimeout(() => callback(), delay);
            }, callback);
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      if (!server) return;
      const closing = server;
      server = null;
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    mailer(from = 'Coaching <coach@example.com>', timeouts = {}) {
      return createSmtpMailer(state.url, from, { ignoreTLS: true, connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: timeouts.socketTimeout ?? 5000 });
    },
    async waitFor(count, timeoutMs = 10_000) {
      const started = Date.now();
      while (state.messages.length < count) {
        if (Date.now() - started > timeoutMs) throw new Error(`Only ${state.messages.length} of ${count} messages arrived`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
  await state.start();
  return state;
}

/** A test app that sends its mail through its own real SMTP server; `close` stops both. */
export async function createSmtpTestContext(kind: DatabaseKind): Promise<{ smtp: TestSmtpServer; context: TestContext; close(): Promise<void> }> {
  const smtp = await startSmtpServer();
  const context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom) });
  return {
    smtp,
    context,
    async close() {
      await context.close();
      await smtp.stop();
    },
  };
}

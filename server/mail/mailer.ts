import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Transport } from 'nodemailer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import type { SentMessageInfo } from 'nodemailer/lib/stream-transport';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface Mailer {
  transport: Transporter;
  from: string;
  /** False when no SMTP server is configured and messages are written as .eml files instead. */
  deliversEmail: boolean;
  /** Where .eml files go when `deliversEmail` is false. */
  outboxDir: string | null;
  close(): void;
}

/**
 * Without SMTP a message is still fully built by nodemailer and written as a standard .eml file
 * (openable in any mail program), named by its Message-ID so a retry overwrites rather than duplicates.
 */
class EmlFileTransport implements Transport<SentMessageInfo> {
  readonly name = 'eml-file';
  readonly version = '1';

  constructor(private readonly directory: string) {}

  send(mail: MailMessage<SentMessageInfo>, callback: (error: Error | null, info: SentMessageInfo) => void): void {
    mail.message.build((error, raw) => {
      const info = (messageId: string): SentMessageInfo => ({ envelope: mail.message.getEnvelope(), messageId, message: raw });
      if (error) return callback(error, info(''));
      const messageId = mail.message.messageId();
      const file = path.join(this.directory, `${messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
      fs.mkdirSync(this.directory, { recursive: true });
      const temporary = `${file}.partial`;
      fs.writeFile(temporary, raw, (writeError) => {
        if (writeError) return callback(writeError, info(messageId));
        // Rename is atomic: a reader never sees half a message.
        fs.rename(temporary, file, (renameError) => callback(renameError, info(messageId)));
      });
    });
  }
}

/**
 * The timeouts of RFC 5321 §4.5.3.2, bounded by `timeoutSeconds`: 5 minutes for the greeting and
 * the longest silence allowed (the server may take 10 minutes to accept a message's data). A
 * shorter socket timeout would give up on a slow server that then delivers the message anyway,
 * and the retry would send it twice. Connecting is bounded at 30 s: an unreachable server is
 * better retried later.
 */
export function smtpTimeouts(timeoutSeconds: number): Pick<SMTPTransport.Options, 'connectionTimeout' | 'greetingTimeout' | 'socketTimeout'> {
  return { connectionTimeout: 30_000, greetingTimeout: Math.min(timeoutSeconds, 300) * 1000, socketTimeout: timeoutSeconds * 1000 };
}

export function createSmtpMailer(smtpUrl: string, from: string, options: SMTPTransport.Options = {}): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    ...smtpTimeouts(600),
    ...options,
  } as SMTPTransport.Options);
  return { transport, from, deliversEmail: true, outboxDir: null, close: () => transport.close() };
}

export function createFileMailer(outboxDir: string, from: string): Mailer {
  const transport = nodemailer.createTransport(new EmlFileTransport(outboxDir));
  return { transport, from, deliversEmail: false, outboxDir, close: () => transport.close() };
}

import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Everything configurable is parsed and validated here once, so a
 * typo in an environment variable stops the server at start with a message instead of surfacing
 * later as odd behaviour.
 */
const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const daysList = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'a comma-separated list of whole days, e.g. "3,1"')
  .transform((text) => [...new Set(text.split(',').map((part) => Number(part.trim())))].sort((a, b) => b - a));

const environmentSchema = z.object({
  PORT: integer(3000, 1, 65535),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset for SQLite)')
    .optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).optional(),
  SMTP_TIMEOUT_SECONDS: integer(600, 10, 3600),
  SESSION_DAYS: integer(14, 1, 365),
  REMINDER_DAYS: daysList.default([3, 1]),
  SURVEY_EMAIL_HOLD_SECONDS: integer(300, 0, 3600),
  RELEASE_LINK_DAYS: integer(90, 1, 3650),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  TRUSTED_PROXY_HOPS: integer(1, 1, 10),
  API_RATE_LIMIT: integer(300, 1, 100_000),
  RETENTION_DAYS: integer(365, 1, 36_500),
  NORM_MINIMUM_LEADERS: integer(10, 3, 1000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  EVENT_LOOP_STATS: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});

export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  publicUrl: string;
  secureCookies: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  /**
   * How long the SMTP server may stay silent before we give up on an answer: RFC 5321 §4.5.3.2
   * gives it up to 10 minutes to accept a message's data, and a message it accepted after we gave
   * up would be sent again.
   */
  smtpTimeoutSeconds: number;
  sessionDays: number;
  reminderDaysBeforeDeadline: number[];
  /**
   * How long survey invitations and reminders wait before they are sent, so that those a coach
   * queues for the same person meanwhile (several rounds launched one after another) go as one
   * email with one link to all of them (server/portal). 0 sends each at once.
   */
  surveyEmailHoldSeconds: number;
  releaseLinkDays: number;
  trustProxy: boolean;
  /** With trustProxy: how many proxies append to X-Forwarded-For; the caller is that many entries from its right. */
  trustedProxyHops: number;
  /** API requests allowed per token and minute. */
  apiRateLimit: number;
  /** Days after an engagement is archived until its raters' personal data is erased. */
  retentionDays: number;
  /** The fewest leaders a practice norm may hold (never fewer than 3, the k that protects leaders). */
  normMinimumLeaders: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Serve /healthz/event-loop, the event loop's longest delay (what `npm run bench` reads); off in production. */
  eventLoopStats: boolean;
}

export class ConfigError extends Error {}

/** Parses an environment (process.env by default) into a Config or throws ConfigError naming each bad variable. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'threesixty.sqlite') },
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? `360 Feedback <no-reply@${new URL(publicUrl).hostname}>`,
    smtpTimeoutSeconds: env.SMTP_TIMEOUT_SECONDS,
    sessionDays: env.SESSION_DAYS,
    reminderDaysBeforeDeadline: env.REMINDER_DAYS,
    surveyEmailHoldSeconds: env.SURVEY_EMAIL_HOLD_SECONDS,
    releaseLinkDays: env.RELEASE_LINK_DAYS,
    trustProxy: env.TRUST_PROXY,
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    apiRateLimit: env.API_RATE_LIMIT,
    retentionDays: env.RETENTION_DAYS,
    normMinimumLeaders: env.NORM_MINIMUM_LEADERS,
    logLevel: env.LOG_LEVEL,
    eventLoopStats: env.EVENT_LOOP_STATS,
  };
}

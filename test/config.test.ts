import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config';

describe('configuration from the environment', () => {
  it('has working defaults for a newcomer: port 3000, SQLite under ./data, links to localhost', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', file: expect.stringMatching(/data[/\\]threesixty\.sqlite$/) });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.secureCookies).toBe(false);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBe('360 Feedback <no-reply@localhost>');
    expect(config.reminderDaysBeforeDeadline).toEqual([3, 1]);
    expect(config.releaseLinkDays).toBe(90);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/threesixty',
      DATABASE_URL: 'postgres://u:p@db:5432/threesixty',
      PUBLIC_URL: 'https://feedback.example.com/',
      SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      MAIL_FROM: 'Coaching <coach@example.com>',
      SESSION_DAYS: '7',
      REMINDER_DAYS: '5, 2,1',
      RELEASE_LINK_DAYS: '30',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/threesixty',
      database: { kind: 'postgres', url: 'postgres://u:p@db:5432/threesixty' },
      publicUrl: 'https://feedback.example.com',
      secureCookies: true,
      smtpUrl: 'smtp://user:pass@mail.example.com:587',
      mailFrom: 'Coaching <coach@example.com>',
      sessionDays: 7,
      reminderDaysBeforeDeadline: [5, 2, 1],
      releaseLinkDays: 30,
      trustProxy: true,
      logLevel: 'debug',
    });
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REMINDER_DAYS: 'soon' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REMINDER_DAYS: 'soon' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT:');
      expect((error as Error).message).toContain('DATABASE_URL: must start with postgres://');
      expect((error as Error).message).toContain('REMINDER_DAYS: a comma-separated list');
    }
  });
});

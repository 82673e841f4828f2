import { parseArgs } from 'node:util';
import { z } from 'zod';
import { countCoaches } from '../auth/auth.repository';
import { createCoachAccount } from '../auth/auth.service';
import { systemClock } from '../clock';
import { ConfigError, loadConfig } from '../config';
import { migrateToLatest, openDatabase } from '../db/connect';
import { DomainError } from '../errors';
import { emailAddress, newPassword, requiredText } from '../http/fields';
import { ensureBuiltinQuestionnaires } from '../questionnaires/questionnaires.service';

const USAGE = `Usage: npm run coach -- create --email EMAIL --name "NAME" [--admin]

Creates a coach account without the browser. The password is read from standard input
(e.g. echo "$PASSWORD" | npm run coach -- create ...) or asked for when run in a terminal.
The first account of an installation is always the administrator.`;

const accountSchema = z.object({ email: emailAddress(), name: requiredText(120, 'Name'), password: newPassword() });

/** Reads a password without echoing it when stdin is a terminal, else the first line of stdin. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += String(chunk);
    return data.split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      process.stdout.write(prompt);
      let typed = '';
      stdin.setRawMode(true);
      stdin.resume();
      stdin.setEncoding('utf8');
      const onData = (key: string) => {
        for (const character of key) {
          if (character === '\r' || character === '\n') {
            stdin.off('data', onData);
            stdin.setRawMode(false);
            stdin.pause();
            process.stdout.write('\n');
            return resolve(typed);
          }
          if (character === '\u0003') return reject(new Error('Cancelled'));
          typed = character === '\u007f' ? typed.slice(0, -1) : typed + character;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat the password: ');
  if (first !== second) throw new Error('The two passwords do not match.');
  return first;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean', default: false }, help: { type: 'boolean' } },
  });
  if (values.help || positionals[0] !== 'create' || !values.email || !values.name) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const parsed = accountSchema.safeParse({ email: values.email, name: values.name, password: await readPassword() });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  const config = loadConfig();
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database);
    await ensureBuiltinQuestionnaires(database.db, systemClock);
    const isAdmin = values.admin || (await countCoaches(database.db)) === 0;
    const coach = await createCoachAccount(database.db, systemClock, { ...parsed.data, isAdmin });
    console.log(`Created ${isAdmin ? 'administrator' : 'coach'} account for ${coach.name} <${coach.email}>. Sign in at ${config.publicUrl}/login`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof DomainError || error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

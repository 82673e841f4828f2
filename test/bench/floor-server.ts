/**
 * The bench's floor for survey submissions: a bare @hono/node-server route that does only the
 * minimum a submission must do, on SQLite with the server's settings (WAL, synchronous NORMAL,
 * secure_delete, foreign keys, busy timeout) and tables shaped like the server's: parse the form,
 * then in one transaction mark the invitation completed (once), insert the response under a random
 * id in the table clustered by (round, id), and delete the draft. No CSRF, no token hashing, no
 * page, no email, no ORM. `submit_rps` is reported as a ratio to what this answers.
 *
 * Run by floor.ts as a child process: FLOOR_FILE (a fresh SQLite file), FLOOR_PORT, FLOOR_LINKS
 * (how many invitations to create; each is submitted once, by its id). Prints "ready" when listening.
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import SQLite from 'better-sqlite3';
import { Hono } from 'hono';

const db = new SQLite(process.env.FLOOR_FILE!);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('secure_delete = ON');
db.exec(`
  create table rounds (id text primary key);
  create table invitations (id text primary key, round_id text not null references rounds(id) on delete cascade, status text not null, status_on text);
  create index invitations_round_idx on invitations (round_id, status);
  create table drafts (invitation_id text primary key references invitations(id) on delete cascade, answers text not null);
  create table responses (round_id text not null references rounds(id) on delete cascade, id text not null, group_key text not null, answers text not null, version integer, mixed integer not null default 0, primary key (round_id, id)) without rowid;
`);
const links = Number(process.env.FLOOR_LINKS);
db.transaction(() => {
  db.prepare('insert into rounds (id) values (?)').run('round');
  const invite = db.prepare("insert into invitations (id, round_id, status) values (?, 'round', 'invited')");
  for (let index = 0; index < links; index += 1) invite.run(`link-${index}`);
})();

const complete = db.prepare("update invitations set status = 'completed', status_on = ? where id = ? and status <> 'completed'");
const insertResponse = db.prepare("insert into responses (round_id, id, group_key, answers) values ('round', ?, 'peers', ?)");
const deleteDraft = db.prepare('delete from drafts where invitation_id = ?');
const submit = db.transaction((invitationId: string, answers: string) => {
  if (complete.run(new Date().toISOString().slice(0, 10), invitationId).changes !== 1) return false;
  insertResponse.run(randomBytes(16).toString('base64url'), answers);
  deleteDraft.run(invitationId);
  return true;
});

const app = new Hono();
app.post('/s/:token', async (c) => {
  const form = new URLSearchParams(await c.req.text());
  const answers: { ratings: Record<string, number | null>; comments: Record<string, string> } = { ratings: {}, comments: {} };
  for (const [name, value] of form) {
    if (name.startsWith('r.')) answers.ratings[name.slice(2)] = value === 'na' ? null : Number(value);
    else if (name.startsWith('c.')) answers.comments[name.slice(2)] = value;
  }
  return submit(c.req.param('token'), JSON.stringify(answers)) ? c.text('Thank you.') : c.text('Already submitted.', 409);
});
serve({ fetch: app.fetch, port: Number(process.env.FLOOR_PORT), hostname: '127.0.0.1' }, () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));

import type { Db } from '../db/schema';

/** Makes an existing coach an administrator: a demo made before the demo coach was one becomes one. */
export async function makeAdministrator(db: Db, coachId: string): Promise<void> {
  await db.updateTable('coaches').set({ is_admin: 1 }).where('id', '=', coachId).execute();
}

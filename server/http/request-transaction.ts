import type { Db } from '../db/schema';

/**
 * Runs a request's work in one database transaction, so it commits all of its writes or none.
 * Services open transactions of their own (`db.transaction().execute(...)`), which Kysely refuses
 * inside a transaction; the handle given to `work` lets them join the outer one instead. Everything
 * else is the transaction itself. Use only that handle inside `work`: on SQLite the transaction
 * holds the one connection, so a query through the app's own handle would wait for it forever.
 */
export function inOneTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => {
    const joined: Db = new Proxy(trx, {
      get(target, property) {
        if (property === 'transaction') return () => ({ execute: <R>(inner: (same: Db) => Promise<R>) => inner(joined) });
        const value: unknown = Reflect.get(target, property, target);
        // Kysely keeps its state in private fields, which only the real object can read.
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return work(joined);
  });
}

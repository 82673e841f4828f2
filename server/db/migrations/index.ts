import type { Migration } from 'kysely';
import * as foundation from './2026-11-21-01-foundation';

/** Every migration, by date-prefixed name. Listed statically so the same code runs under tsx and in tests. */
export const migrations: Record<string, Migration> = {
  '2026-11-21-01-foundation': foundation,
};

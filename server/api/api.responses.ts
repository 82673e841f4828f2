import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Config } from '../config';
import type { Db } from '../db/schema';
import type { AppEnv } from '../http/context';
import { inOneTransaction } from '../http/request-transaction';
import { ErrorSchema } from './api.schemas';

// What every API route declares and does alike: its answers in the OpenAPI document, the URL of a
// list's next page, and a request's writes in one transaction.

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const problem = (description: string) => json(ErrorSchema, description);
export const secured = { security: [{ Bearer: [] }] };
export const COMMON = {
  401: problem('The token is missing, unknown or revoked.'),
  429: problem('Too many requests with this token; wait for Retry-After seconds.'),
} as const;
export const NOT_FOUND = { 404: problem('No such object among this coach\'s, or it does not exist.') } as const;
export const INVALID = { 400: problem('The body is not valid JSON.'), 422: problem('Some fields are invalid; `details` names them.') } as const;
export const CONFLICT = { 409: problem('Not possible in the object\'s current state.') } as const;

/** The URL of the next page of this list: the same path and query, with the next page's cursor. */
export function nextPageUrl(c: Context<AppEnv>, config: Config, cursor: string | null): string | null {
  if (!cursor) return null;
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', cursor);
  return `${config.publicUrl}${url.pathname}${url.search}`;
}

/** A request's writes, all in one transaction (see inOneTransaction). */
export function writing<T>(c: Context<AppEnv>, work: (trx: Db) => Promise<T>): Promise<T> {
  return inOneTransaction(c.get('deps').db, work);
}

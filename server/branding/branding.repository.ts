import type { Db } from '../db/schema';
import type { Branding, BrandingSettings, LogoFile } from './branding.types';

/** The installation's one row. */
const ROW_ID = 'installation';

/** The settings and the logo's hash and size, without the logo's bytes; the built-in look when nothing was ever set. */
export async function readBranding(db: Db): Promise<Branding> {
  const row = await db
    .selectFrom('practice_branding')
    .select(['practice_name', 'accent_colour', 'sender_name', 'reply_to', 'logo_hash', 'logo_width', 'logo_height', 'updated_at'])
    .where('id', '=', ROW_ID)
    .executeTakeFirst();
  return {
    practiceName: row?.practice_name ?? null,
    accentColour: row?.accent_colour ?? null,
    senderName: row?.sender_name ?? null,
    replyTo: row?.reply_to ?? null,
    logo: row?.logo_hash && row.logo_width && row.logo_height ? { hash: row.logo_hash, width: row.logo_width, height: row.logo_height } : null,
    updatedAt: row?.updated_at ?? null,
  };
}

type BrandingChanges = Partial<{ practice_name: string | null; accent_colour: string | null; sender_name: string | null; reply_to: string | null; logo: Buffer | null; logo_hash: string | null; logo_width: number | null; logo_height: number | null }>;

async function writeBranding(db: Db, changes: BrandingChanges, updatedAt: string): Promise<void> {
  await db
    .insertInto('practice_branding')
    .values({ id: ROW_ID, ...changes, updated_at: updatedAt })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...changes, updated_at: updatedAt }))
    .execute();
}

export function writeBrandingSettings(db: Db, settings: BrandingSettings, updatedAt: string): Promise<void> {
  return writeBranding(db, { practice_name: settings.practiceName, accent_colour: settings.accentColour, sender_name: settings.senderName, reply_to: settings.replyTo }, updatedAt);
}

export function writeLogo(db: Db, logo: (LogoFile & { width: number; height: number }) | null, updatedAt: string): Promise<void> {
  return writeBranding(db, { logo: logo?.png ?? null, logo_hash: logo?.hash ?? null, logo_width: logo?.width ?? null, logo_height: logo?.height ?? null }, updatedAt);
}

/** The current logo's PNG, or null when there is none. */
export async function readLogo(db: Db): Promise<LogoFile | null> {
  const row = await db.selectFrom('practice_branding').select(['logo', 'logo_hash']).where('id', '=', ROW_ID).executeTakeFirst();
  return row?.logo && row.logo_hash ? { png: Buffer.from(row.logo), hash: row.logo_hash } : null;
}

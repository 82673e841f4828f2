/**
 * The practice's own look, one per installation, set by its administrator: the practice's name and
 * logo on every page raters, clients and coaches see, on emails and on the printed report; its
 * accent colour (in readable shades, palette.ts); the sender name and reply-to of every email.
 *
 * Per installation rather than per coach: an installation is one practice (its administrator
 * invites the coaches, publishes the privacy notice raters confirm, and answers for everyone's
 * data), its emails leave from one MAIL_FROM address, and pages no coach owns (sign-in, the
 * privacy notice, errors) carry the look too. A coach's own address stays the Reply-To of the
 * emails about their engagements unless the practice sets one for all.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { createHash } from 'node:crypto';
import type { Coach } from '../auth/coach';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { InvalidError, NotFoundError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { MailIdentity } from '../mail/outbox.service';
import type { Translator } from '../i18n/translator';
import * as repo from './branding.repository';
import type { Branding, BrandingSettings, LogoFile, LogoInfo } from './branding.types';
import { prepareLogo } from './logo-image';
import { contrastRatio, DEFAULT_PALETTE, normaliseHex, paletteOf, type Palette } from './palette';

/** The administrator's pages answer other coaches as if they did not exist, as the Coaches page does. */
export function assertAdministrator(coach: Coach): void {
  if (!coach.isAdmin) throw new NotFoundError();
}

export function readBranding(db: Db): Promise<Branding> {
  return repo.readBranding(db);
}

/** Settings as the form sends them, '' for an empty field; the accent as typed ('#0F766E', '0f766e'). */
export type BrandingInput = Record<keyof BrandingSettings, string>;

/** Saves the settings; an accent colour that is not a hex code is refused (InvalidError on `accentColour`). */
export async function saveBrandingSettings(db: Db, clock: Clock, admin: Coach, input: BrandingInput): Promise<Branding> {
  assertAdministrator(admin);
  const orNull = (value: string) => (value === '' ? null : value);
  const accentColour = input.accentColour ? normaliseHex(input.accentColour) : null;
  if (input.accentColour && !accentColour) {
    throw new InvalidError(new Phrase('error.branding.notAColour'), phrasedFields({ accentColour: new Phrase('error.branding.hexHint') }));
  }
  await repo.writeBrandingSettings(db, { practiceName: orNull(input.practiceName), accentColour, senderName: orNull(input.senderName), replyTo: orNull(input.replyTo) }, clock.now().toISOString());
  return repo.readBranding(db);
}

/** Checks and converts an upload (logo-image.ts) and makes it the logo. */
export async function replaceLogo(db: Db, clock: Clock, admin: Coach, upload: Buffer): Promise<LogoInfo> {
  assertAdministrator(admin);
  const logo = await prepareLogo(upload);
  await repo.writeLogo(db, logo, clock.now().toISOString());
  return { hash: logo.hash, width: logo.width, height: logo.height };
}

export async function removeLogo(db: Db, clock: Clock, admin: Coach): Promise<void> {
  assertAdministrator(admin);
  await repo.writeLogo(db, null, clock.now().toISOString());
}

export function readLogo(db: Db): Promise<LogoFile | null> {
  return repo.readLogo(db);
}

/** What the settings page says about an accent that had to be darkened for text, or null. */
export function accentAdvice(palette: Palette, translator: Translator): string | null {
  if (!palette.adjusted) return null;
  return translator.t('practiceLook.advice', {
    accent: palette.accent,
    contrast: translator.number(palette.contrastWithWhite, 2),
    minimum: translator.number(4.5, 1),
    brand: palette.brand,
    brandContrast: translator.number(contrastRatio(palette.brand, '#ffffff'), 2),
  });
}

/** The stylesheet that gives pages the practice's colours: the custom properties of static/app.css and static/survey.css. */
export function themeCss(palette: Palette): string {
  return `/* The practice's colours (server/branding/palette.ts). */\n:root{--accent:${palette.accent};--brand:${palette.brand};--brand-dark:${palette.brandDark};--brand-soft:${palette.brandSoft}}\n`;
}

function shortHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** What every layout shows of the practice (views/layouts, views/partials/practice-*.hbs). */
export interface PageBranding {
  practiceName: string | null;
  logo: { url: string; width: number; height: number } | null;
  /** `/branding/theme/<hash>.css`, or null for the built-in colours. */
  themeUrl: string | null;
  themeCss: string | null;
}

export const LOGO_PATH = '/branding/logo';
export const THEME_PATH = '/branding/theme';

/** The logo's URL: its hash makes it a new URL for a new image, so browsers may keep each for a year. */
export function logoUrl(logo: Pick<LogoInfo, 'hash'>): string {
  return `${LOGO_PATH}/${logo.hash}.png`;
}

export function pageBranding(branding: Branding): PageBranding {
  const css = branding.accentColour ? themeCss(paletteOf(branding.accentColour)) : null;
  return {
    practiceName: branding.practiceName,
    logo: branding.logo && { url: logoUrl(branding.logo), width: branding.logo.width, height: branding.logo.height },
    themeUrl: css && `${THEME_PATH}/${shortHash(css)}.css`,
    themeCss: css,
  };
}

/** The height of the logo in emails, in CSS pixels; the width follows, up to EMAIL_LOGO_MAX_WIDTH. */
const EMAIL_LOGO_HEIGHT = 48;
const EMAIL_LOGO_MAX_WIDTH = 240;

/** `"Name" <address>`, quoted so that commas, quotes and angle brackets in the name stay in it. */
function mailbox(name: string, address: string): string {
  return `"${name.replace(/[\\"]/g, '\\$&')}" <${address}>`;
}

/**
 * Who an email is from and what its layout shows: the sender name (or the practice's name) with
 * MAIL_FROM's address, which keeps SPF and DKIM aligned with the server's own domain; the
 * practice's reply-to when set; its name, logo (an absolute URL on PUBLIC_URL) and colours.
 */
export function mailIdentity(branding: Branding, mailFrom: string, publicUrl: string): MailIdentity {
  const configured = addressparser(mailFrom, { flatten: true })[0];
  const name = branding.senderName ?? branding.practiceName;
  const logo = branding.logo;
  const scale = logo ? Math.min(EMAIL_LOGO_HEIGHT / logo.height, EMAIL_LOGO_MAX_WIDTH / logo.width) : 0;
  return {
    from: name && configured?.address ? mailbox(name, configured.address) : mailFrom,
    replyTo: branding.replyTo,
    layout: {
      name: branding.practiceName,
      logo: logo && { url: new URL(logoUrl(logo), publicUrl).href, width: Math.round(logo.width * scale), height: Math.round(logo.height * scale) },
      palette: branding.accentColour ? paletteOf(branding.accentColour) : DEFAULT_PALETTE,
    },
  };
}

export interface LoadedBranding {
  branding: Branding;
  page: PageBranding;
}

/**
 * The branding as last read, kept for a few seconds: every page shows it, and reading it once per
 * request would add a query to each. Saving through this process forgets it at once; another
 * instance sharing the database shows a change within `maxAgeMs`.
 */
export class BrandingCache {
  private loaded: { value: LoadedBranding; at: number } | null = null;

  constructor(
    private readonly maxAgeMs = 5_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async current(db: Db): Promise<LoadedBranding> {
    if (this.loaded && this.now() - this.loaded.at < this.maxAgeMs) return this.loaded.value;
    const branding = await repo.readBranding(db);
    const value = { branding, page: pageBranding(branding) };
    this.loaded = { value, at: this.now() };
    return value;
  }

  forget(): void {
    this.loaded = null;
  }
}

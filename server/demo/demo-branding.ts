import type { Coach } from '../auth/coach';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { readBranding, replaceLogo, saveBrandingSettings } from '../branding/branding.service';

/** The demo practice's look: a name, a teal accent and a logo, so a newcomer sees the branding at once. */
export const DEMO_PRACTICE = { practiceName: 'Whitfield Leadership Coaching', accentColour: '#0f766e', senderName: 'Dana Whitfield, Whitfield Leadership Coaching', replyTo: '' };

/**
 * The demo's logo: three arcs round a dot (a 360° view of one person), a mark without lettering so
 * that it draws alike wherever fonts differ. It goes through the upload path (checked, drawn again
 * as a PNG) like any administrator's file.
 */
export function demoLogoSvg(): string {
  const arc = (from: number, to: number, colour: string) => {
    const point = (degrees: number) => {
      const radians = ((degrees - 90) * Math.PI) / 180;
      return `${(60 + 44 * Math.cos(radians)).toFixed(2)} ${(60 + 44 * Math.sin(radians)).toFixed(2)}`;
    };
    return `<path d="M ${point(from)} A 44 44 0 0 1 ${point(to)}" fill="none" stroke="${colour}" stroke-width="14" stroke-linecap="round"/>`;
  };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">',
    arc(12, 108, '#0f766e'),
    arc(132, 228, '#14b8a6'),
    arc(252, 348, '#115e59'),
    '<circle cx="60" cy="60" r="15" fill="#0f766e"/>',
    '</svg>',
  ].join('');
}

/** Gives the installation the demo practice's look, unless an administrator has set a look already. */
export async function ensureDemoBranding(db: Db, clock: Clock, admin: Coach): Promise<boolean> {
  const current = await readBranding(db);
  if (current.updatedAt) return false;
  await saveBrandingSettings(db, clock, admin, DEMO_PRACTICE);
  await replaceLogo(db, clock, admin, Buffer.from(demoLogoSvg()));
  return true;
}

/** What the administrator sets in the branding form (every field optional: null is "not set"). */
export interface BrandingSettings {
  practiceName: string | null;
  /** '#rrggbb'. */
  accentColour: string | null;
  /** The display name of every email's From; its address stays MAIL_FROM's. */
  senderName: string | null;
  /** When set, every email's Reply-To, instead of the coach's own address. */
  replyTo: string | null;
}

export interface LogoInfo {
  hash: string;
  width: number;
  height: number;
}

export interface Branding extends BrandingSettings {
  logo: LogoInfo | null;
  updatedAt: string | null;
}

export interface LogoFile {
  png: Buffer;
  hash: string;
}

import { BACKUP_PASSPHRASE_MIN } from '../../main/core/contract/limits';

export type Strength = 'short' | 'weak' | 'fair' | 'strong';

/**
 * A rough hint of how guessable a backup passphrase is, shown while it is typed: length first (a long phrase of
 * ordinary words beats a short jumble), then words and kinds of characters. Only a hint: main checks the minimum.
 */
export function passphraseStrength(p: string): Strength {
  if (p.length < BACKUP_PASSPHRASE_MIN) return 'short';
  if (new Set(p.toLowerCase()).size < 6) return 'weak';
  const words = p.trim().split(/\s+/).filter((w) => w.length >= 3).length;
  const kinds = [/[a-zà-ú]/, /[A-ZÀ-Ú]/, /\d/, /[^\p{L}\d\s]/u].filter((r) => r.test(p)).length;
  if (p.length >= 20 && (words >= 4 || kinds >= 3)) return 'strong';
  if (p.length >= 16 || words >= 3 || kinds >= 3) return 'fair';
  return 'weak';
}

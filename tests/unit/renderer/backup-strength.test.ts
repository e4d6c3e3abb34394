import { describe, expect, it } from 'vitest';
import { passphraseStrength } from '../../../renderer/sections/backupStrength';

describe('backup passphrase strength hint', () => {
  it('says short under the minimum, weak for repetition, strong for a long phrase of words', () => {
    expect(passphraseStrength('curta')).toBe('short');
    expect(passphraseStrength('12345678901')).toBe('short');
    expect(passphraseStrength('aaaaaaaaaaaaaaaa')).toBe('weak');
    expect(passphraseStrength('abcdefghijkl')).toBe('weak');
    expect(passphraseStrength('padaria do joão')).toBe('weak');
    expect(passphraseStrength('padaria são joão')).toBe('fair');
    expect(passphraseStrength('Caixa#2026xyz')).toBe('fair');
    expect(passphraseStrength('cavalo bateria grampo correto')).toBe('strong');
    expect(passphraseStrength('Padaria-Sao-Joao-2026!')).toBe('strong');
  });
});

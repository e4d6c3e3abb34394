import { describe, expect, it } from 'vitest';
import { maskPayerName } from '../../../renderer/display/payer';

describe('the payer as the customer display shows it', () => {
  it('keeps the first name and masks the rest, initials only', () => {
    expect(maskPayerName('Maria da Silva Souza')).toBe('Maria D** S**** S****');
    expect(maskPayerName('JOÃO PEDRO DE OLIVEIRA')).toBe('João P**** D** O*****');
  });
  it('a single name stays; nothing shows without a name', () => {
    expect(maskPayerName('  ana ')).toBe('Ana');
    expect(maskPayerName('')).toBeNull();
    expect(maskPayerName(null)).toBeNull();
  });
  it('never shows more than the initial of a surname, however long', () => {
    const masked = maskPayerName('Carla Wolfeschlegelsteinhausen') as string;
    expect(masked).toBe('Carla W*****');
    expect(masked).not.toContain('olfe');
  });
});

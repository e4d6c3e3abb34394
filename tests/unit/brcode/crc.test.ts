import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, decode, encodeStatic } from '../../../main/core/brcode';
import { referenceCrc } from './helpers';

describe('crc16 (CRC-16/CCITT-FALSE)', () => {
  it('gives the check value 29B1 for "123456789"', () => {
    expect(crc16('123456789')).toBe('29B1');
  });

  it('gives FFFF (the init value) for the empty string', () => {
    expect(crc16('')).toBe('FFFF');
  });

  it('zero-pads to 4 digits (pix-utils vector ends in 0DC6, not DC6)', () => {
    const payload =
      '00020126510014br.gov.bcb.pix0115thalesog@me.com0210Pedido 123520400005303986540510.005802BR5914THALES OGLIARI6015SAO MIGUEL DO O62070503***6304';
    expect(crc16(payload)).toBe('0DC6');
    expect(decode(payload + '0DC6').crc).toBe('0DC6');
  });

  it('writes leading zeros in payloads it encodes (searching names until the CRC starts with 0)', () => {
    let found = 0;
    for (let i = 0; i < 400 && found < 3; i++) {
      const p = encodeStatic({ key: '12345678909', name: `Loja ${i}`, city: 'Recife' });
      const crc = p.slice(-4);
      expect(crc).toMatch(/^[0-9A-F]{4}$/);
      if (crc.startsWith('0')) found++;
      expect(crc).toBe(referenceCrc(Buffer.from(p.slice(0, -4), 'utf8')));
    }
    expect(found).toBe(3);
  });

  it('covers the UTF-8 bytes, not UTF-16 code units', () => {
    expect(crc16('é')).toBe(referenceCrc(Buffer.from('é', 'utf8')));
    expect(crc16('é')).not.toBe(referenceCrc(Uint8Array.of(0xe9)));
    expect(crc16('Maceió 😀')).toBe(referenceCrc(Buffer.from('Maceió 😀', 'utf8')));
    // Lone surrogates are encoded as U+FFFD, like TextEncoder / Buffer.
    expect(crc16('a\ud800b')).toBe(referenceCrc(Buffer.from('a\ud800b', 'utf8')));
    expect(crc16('a\udc00')).toBe(referenceCrc(Buffer.from('a\udc00', 'utf8')));
  });

  it('matches a bitwise reference on arbitrary strings (odd/even lengths, ASCII and not)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-composite' })), (s) => {
        expect(crc16(s)).toBe(referenceCrc(Buffer.from(s, 'utf8')));
      }),
      { numRuns: 2000 },
    );
  });
});

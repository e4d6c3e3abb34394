import crypto from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Random [a-zA-Z0-9] string from the OS CSPRNG, without modulo bias (bytes ≥ 248 are discarded). */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.randomBytes(length + 16)) {
      if (b < 248 && out.length < length) out += ALNUM[b % 62];
    }
  }
  return out;
}

/** txid of a dynamic charge (`PUT /cob/{txid}` takes 26–35): 32 characters, about 190 bits. */
export function dynamicTxid(): string {
  return randomAlnum(32);
}

/** txid of an offline static BR Code (tag 62/05 takes at most 25): 25 characters, about 148 bits. */
export function staticTxid(): string {
  return randomAlnum(25);
}

/** Id of a refund (`PUT /pix/{e2eid}/devolucao/{id}` takes 1–35 alphanumerics). */
export function refundId(): string {
  return randomAlnum(32);
}

export const DYNAMIC_TXID = /^[a-zA-Z0-9]{26,35}$/;
export const STATIC_TXID = /^[a-zA-Z0-9]{1,25}$/;

/** Mask a CPF (11 digits) or CNPJ (14) the way receipts show them: only the middle digits. */
export function maskDocument(doc: unknown): string | null {
  if (typeof doc !== 'string') return null;
  const d = doc.replace(/[^0-9A-Za-z]/g, '');
  if (/^\d{11}$/.test(d)) return `***.${d.slice(3, 6)}.${d.slice(6, 9)}-**`;
  if (/^[0-9A-Z]{14}$/.test(d)) return `**.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-**`;
  // Already masked by the bank, or in an unknown shape: never keep more than what is shown on a receipt.
  return /\*/.test(doc) ? doc.slice(0, 20) : null;
}

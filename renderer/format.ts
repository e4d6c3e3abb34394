/** Formatting for Brazilian users: BRL money, São Paulo time, CPF/CNPJ masks. */

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
const dateTime = new Intl.DateTimeFormat('pt-BR', {
  timeZone: 'America/Sao_Paulo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', day: '2-digit', month: '2-digit', year: 'numeric' });

/** "10.50" or 1050 cents → "R$ 10,50". */
export function formatBRL(value: string | number, unit: 'reais' | 'cents' = 'reais'): string {
  const n = typeof value === 'string' ? Number(value) : unit === 'cents' ? value / 100 : value;
  return brl.format(n).replace(/\u00a0/g, ' ');
}

/** ISO timestamp → "23/11/2026 13:05" in America/Sao_Paulo. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso)).replace(',', '');
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

/** Mask a CPF (11 digits) or CNPJ (14 chars, alphanumeric allowed) as the person types. */
export function maskCpfCnpj(raw: string): string {
  const s = raw.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 14);
  if (s.length <= 11 && /^\d*$/.test(s)) {
    return s.replace(/^(\d{3})(\d)/, '$1.$2').replace(/^(\d{3})\.(\d{3})(\d)/, '$1.$2.$3').replace(/\.(\d{3})(\d{1,2})$/, '.$1-$2');
  }
  return s
    .replace(/^(\w{2})(\w)/, '$1.$2')
    .replace(/^(\w{2})\.(\w{3})(\w)/, '$1.$2.$3')
    .replace(/\.(\w{3})(\w)/, '.$1/$2')
    .replace(/(\w{4})(\w{1,2})$/, '$1-$2');
}

/**
 * BRL amount mask for typing cents from the right ("1" → "0,01", "1050" → "10,50").
 * Returns the display text and the API value ("10.50"), or null when empty/zero.
 */
export function maskAmountInput(raw: string): { display: string; value: string | null } {
  const digits = raw.replace(/\D/g, '').replace(/^0+/, '').slice(0, 11);
  if (!digits) return { display: '', value: null };
  const cents = digits.padStart(3, '0');
  const int = cents.slice(0, -2);
  const dec = cents.slice(-2);
  const display = `${Number(int).toLocaleString('pt-BR')},${dec}`;
  return { display, value: `${Number(int)}.${dec}` };
}

export type PixKeyKind = 'cpf' | 'cnpj' | 'phone' | 'email' | 'evp';

/** The type of a key already in directory format (as stored and as written in BR Codes). */
export function pixKeyKind(key: string): PixKeyKind {
  if (/^\d{11}$/.test(key)) return 'cpf';
  if (/^[0-9A-Z]{12}\d{2}$/.test(key)) return 'cnpj';
  if (key.startsWith('+')) return 'phone';
  if (key.includes('@')) return 'email';
  return 'evp';
}

/** A directory-format key written the way people read it: "529.982.247-25", "+55 (11) 91234-5678". */
export function formatPixKey(key: string, kind: PixKeyKind = pixKeyKind(key)): string {
  if (kind === 'cpf' || kind === 'cnpj') return maskCpfCnpj(key);
  if (kind === 'phone') {
    const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(key);
    return m ? `+55 (${m[1]}) ${m[2]}-${m[3]}` : key;
  }
  return key;
}

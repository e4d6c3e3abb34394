/**
 * Dates of the "Credencial e Token" import: the token's validity as Itaú writes it in the sheet (an Excel
 * serial or pt-BR text such as `10/11/2026 14:30`, both in Brasília local time) turned into an exact instant,
 * and instants formatted back for pt-BR messages.
 *
 * Brasília time is computed with the IANA zone `America/Sao_Paulo` (no daylight saving since 2019, so
 * -03:00 for every current date); if the runtime has no time-zone data the fixed -03:00 offset is used.
 */

const SAO_PAULO = 'America/Sao_Paulo';
const FIXED_OFFSET_MIN = -180;
const MS_PER_DAY = 86_400_000;

/** Wall-clock fields of a local date and time (month 1–12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

let offsetFormatter: Intl.DateTimeFormat | null | undefined;

function saoPauloOffsetMinutes(utcMs: number): number {
  if (offsetFormatter === undefined) {
    try {
      offsetFormatter = new Intl.DateTimeFormat('en-US', {
        timeZone: SAO_PAULO,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      offsetFormatter = null;
    }
  }
  if (!offsetFormatter) return FIXED_OFFSET_MIN;
  const parts: Record<string, number> = {};
  for (const p of offsetFormatter.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const off = Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
  return Number.isFinite(off) ? off : FIXED_OFFSET_MIN;
}

function validWallClock(w: WallClock): boolean {
  if (!Number.isInteger(w.year) || w.year < 1900 || w.year > 2200) return false;
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour < 0 || w.hour > 23) return false;
  if (w.minute < 0 || w.minute > 59 || w.second < 0 || w.second > 59) return false;
  const probe = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return probe.getUTCDate() === w.day && probe.getUTCMonth() === w.month - 1;
}

/**
 * Convert a Brasília (America/Sao_Paulo) wall-clock time to the exact instant. Returns undefined for an
 * impossible date such as 31/02.
 */
export function saoPauloToUtc(w: WallClock): Date | undefined {
  if (!validWallClock(w)) return undefined;
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let utc = naive - saoPauloOffsetMinutes(naive - FIXED_OFFSET_MIN * 60_000) * 60_000;
  utc = naive - saoPauloOffsetMinutes(utc) * 60_000;
  return new Date(utc);
}

/** Apply an explicit UTC offset (minutes east of UTC) to a wall-clock time. */
function withOffset(w: WallClock, offsetMin: number): Date | undefined {
  if (!validWallClock(w)) return undefined;
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - offsetMin * 60_000);
}

/**
 * An Excel date serial (days since 1899-12-30, or since 1904-01-01 in 1904-mode workbooks, fraction = time
 * of day) read as Brasília local time. Only serials between the years 2000 and 2100 are accepted: anything
 * else in a validity cell is not a date.
 */
export function excelSerialToUtc(serial: number, date1904 = false): Date | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const days = date1904 ? serial + 1462 : serial;
  if (days < 36_526 || days > 73_051) return undefined;
  const wallMs = Math.round(((days - 25_569) * MS_PER_DAY) / 1000) * 1000;
  // The serial is a wall-clock time; its UTC fields are read as Brasília time, like a SheetJS date cell.
  return sheetDateToUtc(new Date(wallMs));
}

/**
 * A date cell as SheetJS returns it with `cellDates` (a Date whose UTC fields hold the sheet's wall-clock
 * time), read as Brasília local time.
 */
export function sheetDateToUtc(d: Date): Date | undefined {
  if (Number.isNaN(d.getTime())) return undefined;
  return saoPauloToUtc({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  });
}

const MONTHS: Record<string, number> = {
  jan: 1, janeiro: 1, fev: 2, fevereiro: 2, mar: 3, marco: 3, abr: 4, abril: 4, mai: 5, maio: 5, jun: 6,
  junho: 6, jul: 7, julho: 7, ago: 8, agosto: 8, set: 9, setembro: 9, out: 10, outubro: 10, nov: 11,
  novembro: 11, dez: 12, dezembro: 12,
};

/** Parse an explicit zone written right after the time: `Z`, `UTC`, `GMT-3`, `-03:00`, `-0300`. */
function explicitOffset(rest: string): number | undefined {
  const r = rest.replace(/^[\s(]+/, '');
  const m = /^(?:UTC|GMT|Z)?\s*([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)/i.exec(r);
  if (m) {
    const mins = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return mins <= 14 * 60 ? (m[1] === '-' ? -1 : 1) * mins : undefined;
  }
  return /^(?:Z|UTC|GMT)(?![a-z])/i.test(r) ? 0 : undefined;
}

function parseTime(s: string): { h: number; mi: number; sec: number; rest: string } | undefined {
  const m = /^[\s,T]*(?:(?:à|a)s\s+)?(\d{1,2})\s*(?::|h)\s*(\d{2})?(?::(\d{2}))?(?:[.,]\d+)?\s*(?:h(?:s|oras?)?\b|min\b)?/i.exec(s);
  if (!m) return undefined;
  return { h: Number(m[1]), mi: Number(m[2] ?? 0), sec: Number(m[3] ?? 0), rest: s.slice(m[0].length) };
}

function finish(y: number, mo: number, d: number, after: string): Date | undefined {
  const year = y < 100 ? 2000 + y : y;
  const t = parseTime(after);
  // A date without a time is valid until the end of that day.
  const w: WallClock = t
    ? { year, month: mo, day: d, hour: t.h, minute: t.mi, second: t.sec }
    : { year, month: mo, day: d, hour: 23, minute: 59, second: 59 };
  const off = explicitOffset(t ? t.rest : after);
  return off === undefined ? saoPauloToUtc(w) : withOffset(w, off);
}

/**
 * Parse a validity written as text: `dd/mm/aaaa hh:mm[:ss]` (also with `-` or `.`, 2-digit years,
 * "às", `14h30`), `10 de novembro de 2026 14:30`, ISO `2026-11-10T14:30:00[-03:00|Z]`, or an Excel serial
 * stored as text (`46336,6`). Without an explicit zone the time is Brasília local time; a date without a
 * time means the end of that day. Returns undefined when the text is not a date.
 */
export function parseValidityText(raw: string): Date | undefined {
  const s = raw.replace(/[\u00a0\u2007\u202f]/g, ' ').trim();
  if (s === '' || s.length > 80) return undefined;
  const serial = /^\d{5}(?:[.,]\d+)?$/.exec(s);
  if (serial) return excelSerialToUtc(Number(s.replace(',', '.')));
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(.*)$/.exec(s);
  if (m) return finish(Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? '');
  m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?!\d)(.*)$/.exec(s);
  if (m) return finish(Number(m[3]), Number(m[2]), Number(m[1]), m[4] ?? '');
  const folded = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  m = /^(\d{1,2})\s*(?:de\s+)?([a-z]{3,9})\.?\s*(?:de\s+)?(\d{4})(.*)$/.exec(folded);
  if (m && MONTHS[m[2] ?? ''] !== undefined) return finish(Number(m[3]), MONTHS[m[2] ?? ''] ?? 0, Number(m[1]), m[4] ?? '');
  return undefined;
}

let displayFormatter: Intl.DateTimeFormat | undefined;

/** Format an instant for pt-BR messages: `10/11/2026 às 14:30 (horário de Brasília)`. */
export function formatBrasilia(d: Date): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    displayFormatter ??= new Intl.DateTimeFormat('pt-BR', {
      timeZone: SAO_PAULO,
      hourCycle: 'h23',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    parts = displayFormatter.formatToParts(d);
  } catch {
    const local = new Date(d.getTime() + FIXED_OFFSET_MIN * 60_000);
    const iso = local.toISOString();
    return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} às ${iso.slice(11, 16)} (horário de Brasília)`;
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} às ${get('hour')}:${get('minute')} (horário de Brasília)`;
}

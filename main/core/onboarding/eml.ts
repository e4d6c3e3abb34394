/**
 * A small, defensive MIME reader for `.eml` files (RFC 5322/2045–2049): headers with folding, multipart
 * bodies of any depth (bounded), forwarded messages (`message/rfc822`), base64 and quoted-printable
 * transfer encodings, and attachment names encoded per RFC 2047 (`=?UTF-8?Q?…?=`) or RFC 2231
 * (`filename*=UTF-8''…`, with continuations). It only lists the leaf parts; choosing the attachment is the
 * importer's job.
 *
 * Bytes are handled as Latin-1 strings (one char per byte) until a part is decoded, so 8-bit content
 * survives untouched. Parameters are kept in Maps, never in plain objects keyed by input.
 */

/** One leaf part of a message. */
export interface MimeLeaf {
  /** Lower-case `type/subtype` (default `text/plain`). */
  contentType: string;
  /** Decoded file name from Content-Disposition or Content-Type, when present. */
  fileName?: string;
  /** Decoded body bytes. */
  body: Buffer;
}

const MAX_DEPTH = 8;
const MAX_PARTS = 500;

/** True when the text starts like an e-mail message (a header block with typical mail headers). */
export function looksLikeEml(text: string): boolean {
  const head = text.replace(/^\ufeff/, '').slice(0, 16_384);
  const lines = head.split(/\r?\n/);
  let i = 0;
  if (lines[0]?.startsWith('From ')) i = 1;
  let headers = 0;
  let mailish = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue;
    const m = /^([!-9;-~]+):/.exec(line);
    if (!m) return false;
    headers++;
    if (/^(from|to|subject|date|mime-version|content-type|received|message-id|return-path|delivered-to|reply-to|cc)$/i.test(m[1] ?? '')) {
      mailish++;
    }
  }
  return headers >= 2 && mailish >= 2;
}

function splitHeadBody(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** Unfold and index headers by lower-case name (first occurrence wins). */
function parseHeaders(head: string): Map<string, string> {
  const out = new Map<string, string>();
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(i + 1).trim());
  }
  return out;
}

function bytesToText(bytes: Buffer, charset: string): string {
  const cs = charset.trim().toLowerCase().split('*')[0] || 'utf-8';
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Latin-1 string (raw bytes) to UTF-8 text when it is valid UTF-8, as non-compliant mailers send. */
function rawToText(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

/** Decode RFC 2047 encoded words (`=?charset?Q|B?text?=`); whitespace between adjacent words is dropped. */
export function decodeEncodedWords(value: string): string {
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return rawToText(joined).replace(/=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=/g, (_all, charset: string, enc: string, text: string) => {
    let bytes: Buffer;
    if (enc.toUpperCase() === 'B') {
      bytes = Buffer.from(text, 'base64');
    } else {
      bytes = Buffer.from(
        text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      );
    }
    return bytesToText(bytes, charset);
  });
}

/**
 * Parse a structured header value (`type/subtype; a=b; c="d"; name*0*=…`) into its main value and a Map of
 * parameters, joining RFC 2231 continuations and decoding extended values.
 */
export function parseParams(value: string): { main: string; params: Map<string, string> } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      cur += value[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      cur += ch;
    } else if (ch === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  const main = (parts.shift() ?? '').trim().toLowerCase();
  const simple = new Map<string, string>();
  const sections = new Map<string, { n: number; ext: boolean; v: string }[]>();
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    const m = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (m) {
      const name = m[1]!;
      const list = sections.get(name) ?? [];
      list.push({ n: m[2] === undefined ? 0 : Number(m[2]), ext: m[2] === undefined || m[3] === '*', v });
      sections.set(name, list);
    } else if (!simple.has(key)) {
      simple.set(key, v);
    }
  }
  for (const [name, list] of sections) {
    list.sort((a, b) => a.n - b.n);
    let charset = 'utf-8';
    let bytes = '';
    list.forEach((s, i) => {
      let v = s.v;
      if (s.ext && i === 0) {
        const m = /^([^']*)'[^']*'(.*)$/s.exec(v);
        if (m) {
          charset = m[1] || 'utf-8';
          v = m[2] ?? '';
        }
      }
      bytes += s.ext ? v.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : v;
    });
    simple.set(name, bytesToText(Buffer.from(bytes, 'latin1'), charset));
  }
  return { main, params: simple };
}

function decodeBody(body: string, encoding: string): Buffer {
  const enc = encoding.trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (enc === 'quoted-printable') {
    const s = body
      .replace(/[ \t]+(?=\r?\n)/g, '')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(s, 'latin1');
  }
  return Buffer.from(body, 'latin1');
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delim = `--${boundary}`;
  const lines = body.split(/(?<=\n)/);
  let cur: string[] | undefined;
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, '').replace(/[ \t]+$/, '');
    if (bare === delim || bare === `${delim}--`) {
      if (cur) {
        const text = cur.join('').replace(/\r?\n$/, '');
        parts.push(text);
      }
      if (bare.endsWith('--') && bare !== delim) return parts;
      cur = [];
      if (parts.length >= MAX_PARTS) return parts;
    } else if (cur) {
      cur.push(line);
    }
  }
  if (cur && cur.length > 0) parts.push(cur.join(''));
  return parts;
}

function walk(raw: string, depth: number, out: MimeLeaf[]): void {
  if (depth > MAX_DEPTH || out.length >= MAX_PARTS) return;
  const { head, body } = splitHeadBody(raw);
  const headers = parseHeaders(head);
  const ct = parseParams(headers.get('content-type') ?? 'text/plain');
  const contentType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(ct.main) ? ct.main : 'text/plain';
  const encoding = headers.get('content-transfer-encoding') ?? '7bit';
  if (contentType.startsWith('multipart/')) {
    const boundary = ct.params.get('boundary');
    if (!boundary) return;
    for (const part of splitMultipart(body, boundary)) walk(part, depth + 1, out);
    return;
  }
  if (contentType === 'message/rfc822' || contentType === 'message/global') {
    walk(decodeBody(body, encoding).toString('latin1'), depth + 1, out);
    return;
  }
  const disp = parseParams(headers.get('content-disposition') ?? '');
  const rawName = disp.params.get('filename') ?? ct.params.get('name');
  const leaf: MimeLeaf = { contentType, body: decodeBody(body, encoding) };
  if (rawName !== undefined && rawName.trim() !== '') {
    leaf.fileName = decodeEncodedWords(rawName).replace(/[\\/]/g, '_').trim().slice(0, 255);
  }
  out.push(leaf);
}

/** Parse an e-mail (raw bytes of a `.eml`) into its decoded leaf parts. */
export function parseEml(bytes: Buffer): MimeLeaf[] {
  const out: MimeLeaf[] = [];
  let raw = bytes.toString('latin1');
  if (raw.startsWith('\xef\xbb\xbf')) raw = raw.slice(3);
  if (raw.startsWith('From ')) raw = raw.slice(raw.indexOf('\n') + 1);
  walk(raw, 0, out);
  return out;
}

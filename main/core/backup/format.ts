import crypto from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../errors';

/**
 * The backup file: a passphrase-encrypted stream of authenticated frames (docs/backup.md).
 *
 *   header  = magic "PIXDESKB" (8) | format (1) | scrypt log2N, r, p (3) | salt (16) | nonce (12)      40 bytes
 *   frame i = length (u32 BE) | AES-256-GCM ciphertext (length bytes) | tag (16)
 *
 * The key is scrypt(passphrase NFC, salt). Frame i uses nonce XOR i (in its last 8 bytes) and authenticates
 * header | i (u64 BE) | final (1 byte), where `final` is 1 for the last frame only: a changed header, a reordered,
 * altered, dropped or appended frame, and a file cut at any byte (even exactly at a frame boundary) all fail.
 * Frames hold at most {@link MAX_FRAME} plaintext bytes, so reading and writing need memory for one frame only.
 */
export const MAGIC = Buffer.from('PIXDESKB', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 8 + 1 + 3 + 16 + 12;
const TAG = 16;
/** Plaintext bytes a writer puts in a frame before starting the next one. */
export const FRAME_TARGET = 256 * 1024;
/** Largest frame a reader accepts (a tampered length cannot make it allocate more). */
export const MAX_FRAME = 4 * 1024 * 1024;

export interface BackupCost {
  log2N: number;
  r: number;
  p: number;
}

/** scrypt cost of a new backup: N = 2^17, r = 8, p = 1 (128 MiB, a few tenths of a second), as the vault's password. */
export const BACKUP_SCRYPT: BackupCost = { log2N: 17, r: 8, p: 1 };

export function formatError(): AppError {
  return new AppError('BACKUP_FORMAT', 'Este arquivo não é um backup do PixDesk (ou está danificado logo no começo). Escolha o arquivo .pixdesk-backup gerado em Ajustes → Backup. Nada foi alterado neste perfil.');
}

function deriveKey(passphrase: string, salt: Buffer, c: BackupCost): Buffer {
  // Bounds keep a tampered header from asking for gigabytes of memory or minutes of work.
  if (c.log2N < 10 || c.log2N > 20 || c.r < 1 || c.r > 16 || c.p < 1 || c.p > 4) throw formatError();
  const N = 2 ** c.log2N;
  return crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, { N, r: c.r, p: c.p, maxmem: 256 * N * c.r + 1024 * 1024 });
}

function nonceOf(base: Buffer, index: number): Buffer {
  const n = Buffer.from(base);
  const i = Buffer.alloc(8);
  i.writeBigUInt64BE(BigInt(index));
  for (let k = 0; k < 8; k++) n[4 + k]! ^= i[k]!;
  return n;
}

function aadOf(header: Buffer, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(header.length + 9);
  header.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), header.length);
  a[header.length + 8] = final ? 1 : 0;
  return a;
}

/** A parsed header and the key derived from it. */
export interface OpenedHeader {
  header: Buffer;
  key: Buffer;
  nonce: Buffer;
  cost: BackupCost;
}

/** Read and check the header of a backup at `fd`; derive the key from the passphrase (frames are checked later). */
export function openHeader(fd: number, size: number, passphrase: string): OpenedHeader {
  if (size < HEADER_BYTES + 4 + TAG) throw formatError();
  const header = Buffer.alloc(HEADER_BYTES);
  if (fs.readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) throw formatError();
  if (!header.subarray(0, 8).equals(MAGIC)) throw formatError();
  const version = header[8]!;
  if (version !== FORMAT_VERSION) {
    throw new AppError(
      'BACKUP_NEWER',
      `Este backup está no formato ${version}, que esta versão do PixDesk não conhece (ela lê o formato ${FORMAT_VERSION}). Atualize o PixDesk e tente de novo. Nada foi alterado.`,
    );
  }
  const cost = { log2N: header[9]!, r: header[10]!, p: header[11]! };
  const salt = header.subarray(12, 28);
  const nonce = header.subarray(28, 40);
  return { header, key: deriveKey(passphrase, salt, cost), nonce, cost };
}

export function wrongPassphrase(): AppError {
  return new AppError(
    'BACKUP_WRONG_PASSPHRASE',
    'A senha do backup não confere (ou o início do arquivo foi alterado). Nada foi alterado neste perfil. Confira a senha escolhida quando o backup foi criado e tente de novo.',
  );
}

export function corrupt(part: number): AppError {
  return new AppError(
    'BACKUP_CORRUPT',
    `O arquivo de backup está incompleto ou foi alterado depois de criado (a parte ${part + 1} não confere). Nada foi alterado neste perfil. Use outra cópia do backup (por exemplo a do pendrive ou da nuvem).`,
  );
}

/**
 * The frames of a backup, decrypted and authenticated one at a time (synchronous reads of one frame each).
 * Frame 0 failing means a wrong passphrase (or a changed header); a later one, a damaged or cut file.
 */
export function* readFrames(fd: number, size: number, h: OpenedHeader): Generator<Buffer> {
  let pos = HEADER_BYTES;
  let index = 0;
  const lenBuf = Buffer.alloc(4);
  while (pos < size) {
    if (size - pos < 4 + TAG) throw index === 0 ? wrongPassphrase() : corrupt(index);
    fs.readSync(fd, lenBuf, 0, 4, pos);
    const len = lenBuf.readUInt32BE(0);
    if (len > MAX_FRAME || pos + 4 + len + TAG > size) throw index === 0 ? wrongPassphrase() : corrupt(index);
    const body = Buffer.alloc(len + TAG);
    if (fs.readSync(fd, body, 0, len + TAG, pos + 4) !== len + TAG) throw corrupt(index);
    pos += 4 + len + TAG;
    const final = pos === size;
    let plain: Buffer;
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', h.key, nonceOf(h.nonce, index));
      d.setAAD(aadOf(h.header, index, final));
      d.setAuthTag(body.subarray(len));
      plain = Buffer.concat([d.update(body.subarray(0, len)), d.final()]);
    } catch {
      throw index === 0 ? wrongPassphrase() : corrupt(index);
    }
    yield plain;
    index++;
  }
  if (index === 0) throw wrongPassphrase();
}

/** Splits decrypted frames into lines (records may cross frame boundaries). */
export function* linesOf(frames: Iterable<Buffer>): Generator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (const f of frames) {
    const text = rest + decoder.decode(f, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) yield p;
  }
  rest += decoder.decode();
  if (rest.length) yield rest;
}

/**
 * Writes a backup: the header at once, then frames as records accumulate. The frame being filled is held back
 * until the next one starts (or `close`), because only then is it known whether it is the final one.
 */
export class BackupWriter {
  readonly header: Buffer;
  private readonly key: Buffer;
  private readonly nonce: Buffer;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private held: Buffer | null = null;
  private index = 0;
  bytes = 0;

  constructor(private readonly sink: (b: Buffer) => void, passphrase: string, cost: BackupCost = BACKUP_SCRYPT) {
    const salt = crypto.randomBytes(16);
    this.nonce = crypto.randomBytes(12);
    this.header = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, cost.log2N, cost.r, cost.p]), salt, this.nonce]);
    this.key = deriveKey(passphrase, salt, cost);
    this.out(this.header);
  }

  private out(b: Buffer): void {
    this.sink(b);
    this.bytes += b.length;
  }

  private encrypt(plain: Buffer, final: boolean): void {
    const c = crypto.createCipheriv('aes-256-gcm', this.key, nonceOf(this.nonce, this.index));
    c.setAAD(aadOf(this.header, this.index, final));
    const ct = Buffer.concat([c.update(plain), c.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(ct.length);
    this.out(Buffer.concat([len, ct, c.getAuthTag()]));
    this.index++;
  }

  /** One record: a JSON line. */
  write(record: unknown): void {
    const b = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= FRAME_TARGET) this.cut();
  }

  /** End the current frame here (the manifest is alone in frame 0, so a wrong passphrase is known at once). */
  cut(): void {
    if (this.pendingBytes === 0) return;
    const plain = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.held) this.encrypt(this.held, false);
    this.held = plain;
  }

  close(): void {
    this.cut();
    this.encrypt(this.held ?? Buffer.alloc(0), true);
    this.held = null;
  }
}

import fs from 'node:fs';
import zlib from 'node:zlib';

/*
 * A ZIP writer that streams one large entry to disk without holding it: the entry is deflated as it is written,
 * its CRC-32 and sizes go in a data descriptor after the data (general purpose flag bit 3), and the central
 * directory is written at the end. No zip64: an entry must stay under 4 GiB (a million-row sheet is ~250 MB).
 */

interface Done {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names

/** Writes entries one after the other into `file` (created or truncated). */
export class ZipStream {
  private readonly fd: number;
  private offset = 0;
  private readonly done: Done[] = [];
  private current: { name: Buffer; offset: number; crc: number; usize: number; csize: number; deflate: zlib.DeflateRaw; ended: Promise<void> } | null = null;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w', 0o600);
  }

  private out(b: Buffer): void {
    fs.writeSync(this.fd, b);
    this.offset += b.length;
  }

  private localHeader(name: Buffer): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(FLAGS, 6);
    h.writeUInt16LE(8, 8); // deflate
    // time/date 0 (1980-01-01), crc and sizes in the descriptor
    h.writeUInt16LE(name.length, 26);
    return h;
  }

  /** Start a streamed entry; call write() for its bytes and end() after. */
  begin(entryName: string): void {
    if (this.current) throw new Error('zip: previous entry not ended');
    const name = Buffer.from(entryName, 'utf8');
    const offset = this.offset;
    this.out(this.localHeader(name));
    this.out(name);
    const deflate = zlib.createDeflateRaw({ level: 6 });
    const cur = { name, offset, crc: 0, usize: 0, csize: 0, deflate, ended: Promise.resolve() };
    deflate.on('data', (c: Buffer) => {
      this.out(c);
      cur.csize += c.length;
    });
    cur.ended = new Promise<void>((resolve, reject) => {
      deflate.once('end', resolve);
      deflate.once('error', reject);
    });
    this.current = cur;
  }

  /** Add bytes to the open entry; resolves when the compressor can take more (backpressure). */
  async write(chunk: Buffer | string): Promise<void> {
    const cur = this.current;
    if (!cur) throw new Error('zip: no open entry');
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    cur.crc = zlib.crc32(b, cur.crc);
    cur.usize += b.length;
    if (cur.usize > 0xffffffff) throw new Error('zip: entry over 4 GiB (no zip64)');
    if (!cur.deflate.write(b)) await new Promise<void>((r) => cur.deflate.once('drain', r));
  }

  /** Finish the open entry and write its data descriptor. */
  async end(): Promise<void> {
    const cur = this.current;
    if (!cur) throw new Error('zip: no open entry');
    cur.deflate.end();
    await cur.ended;
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(cur.crc >>> 0, 4);
    d.writeUInt32LE(cur.csize, 8);
    d.writeUInt32LE(cur.usize, 12);
    this.out(d);
    this.done.push({ name: cur.name, crc: cur.crc >>> 0, csize: cur.csize, usize: cur.usize, offset: cur.offset });
    this.current = null;
  }

  /** A small entry written at once. */
  async add(entryName: string, data: string): Promise<void> {
    this.begin(entryName);
    await this.write(data);
    await this.end();
  }

  /** Write the central directory and close the file. */
  finish(): void {
    const start = this.offset;
    for (const e of this.done) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(FLAGS, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.csize, 20);
      c.writeUInt32LE(e.usize, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      this.out(c);
      this.out(e.name);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.done.length, 8);
    end.writeUInt16LE(this.done.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.out(end);
    fs.closeSync(this.fd);
  }

  /** Give up: close the file (the caller removes it). */
  abort(): void {
    this.current?.deflate.destroy();
    this.current = null;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}

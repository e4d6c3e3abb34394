import fs from 'node:fs';
import path from 'node:path';

export interface RotatingFileOptions {
  /** The live log file, e.g. `<profile>/logs/pixdesk.log`. */
  file: string;
  /** Rotate before a write would take the live file past this size (bytes). Default 5 MiB. */
  maxBytes?: number;
  /** Files kept in all, the live one included (`pixdesk.log`, `pixdesk.log.1` … newest first). Default 5. */
  maxFiles?: number;
}

/**
 * A log destination that appends to one file and rotates it by size, keeping a fixed number of files.
 * Writes are synchronous: log volume is small, a line written before a crash is a line kept, and no worker
 * thread is needed (the Node bundles are single esbuild files, where pino transports cannot load).
 *
 * Files are created 0600 in a 0700 folder: logs are redacted, but they still name accounts and companies.
 * Several processes may share a profile (the app, a CLI command): lines are appended with O_APPEND, and a
 * process that finds the file already rotated by another one reopens it instead of rotating it again.
 */
export class RotatingFile {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private fd: number | null = null;
  private size = 0;

  constructor(opts: RotatingFileOptions) {
    this.file = path.resolve(opts.file);
    this.maxBytes = Math.max(1024, opts.maxBytes ?? 5 * 1024 * 1024);
    this.maxFiles = Math.max(1, Math.floor(opts.maxFiles ?? 5));
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    this.open();
  }

  private open(): void {
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.fchmodSync(fd, 0o600); // an older file may have been created with the umask's mode
    } catch {
      /* not supported on this file system: the mode given to open stands */
    }
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.fd = null;
  }

  /** Archive name of generation `n` (1 = newest). */
  archive(n: number): string {
    return `${this.file}.${n}`;
  }

  private sameFileAsOpen(): boolean {
    try {
      const onDisk = fs.statSync(this.file);
      const mine = fs.fstatSync(this.fd as number);
      return onDisk.ino === mine.ino && onDisk.dev === mine.dev;
    } catch {
      return false;
    }
  }

  private rotate(): void {
    this.closeFd();
    try {
      if (this.maxFiles === 1) {
        fs.rmSync(this.file, { force: true });
      } else {
        fs.rmSync(this.archive(this.maxFiles - 1), { force: true });
        for (let n = this.maxFiles - 2; n >= 1; n--) {
          if (fs.existsSync(this.archive(n))) fs.renameSync(this.archive(n), this.archive(n + 1));
        }
        fs.renameSync(this.file, this.archive(1));
      }
    } catch {
      // Windows refuses to rename a file another process holds open: keep appending, rotate on a later write.
    }
    this.open();
  }

  /** Append one line (pino calls this with each finished JSON line). */
  write(line: string): void {
    if (this.fd === null) this.open();
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      if (!this.sameFileAsOpen()) {
        // Another process rotated it: continue in the new live file.
        this.closeFd();
        this.open();
      }
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    }
    fs.writeSync(this.fd as number, line);
    this.size += bytes;
  }

  /** Close the file (later writes reopen it). */
  close(): void {
    this.closeFd();
  }
}

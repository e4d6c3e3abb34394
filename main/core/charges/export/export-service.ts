import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChargeListFilter, ExportFormat, ExportJobView, ExportProgress } from '../../contract/types';
import type { Db } from '../../db';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';
import { iterateRows, querySummary } from '../list-query';
import { CSV_BOM, csvHeader, csvLine, SHEET_END, SHEET_START, XLSX_PARTS, xlsxHeaderRow, xlsxRow } from './formats';
import { ZipStream } from './zip-stream';

/** Rows per written chunk; between chunks the event loop runs (other requests, cancel, progress events). */
const CHUNK_ROWS = 2000;
/** Bytes of a finished export handed to the screen per `charges:exportRead`. */
const READ_BYTES = 4 * 1024 * 1024;

export interface ExporterDeps {
  /**
   * A read-only connection of its own: better-sqlite3 keeps a connection busy while `.iterate()` is open, so the export
   * must not iterate on the app's connection (and WAL gives it one consistent snapshot of the rows).
   */
  openReader: () => Db;
  events: EventBus;
  /** Where the screen's exports are written until read (the profile's exports folder). */
  dir: string;
}

interface Job {
  view: ExportJobView;
  file: string;
  cancelled: boolean;
}

/**
 * Streams the filtered charges to CSV or XLSX: rows come from SQLite one at a time and are written in chunks, so a
 * million rows neither freeze main nor sit in memory. Progress goes out as `charges:export-progress` events.
 */
export class ChargeExporter {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly d: ExporterDeps) {}

  /**
   * Write the rows of `filter` to `file`. `progress` is called after each chunk; `cancelled()` is checked between
   * chunks (the partial file is removed and an EXPORT_CANCELLED error thrown).
   */
  async writeFile(filter: ChargeListFilter, format: ExportFormat, file: string, progress?: (rows: number, total: number, bytes: number) => void, cancelled?: () => boolean): Promise<{ rows: number; bytes: number }> {
    const db = this.d.openReader();
    const zip = format === 'xlsx' ? new ZipStream(file) : null;
    const fd = zip ? null : fs.openSync(file, 'w', 0o600);
    let rows = 0;
    try {
      const total = querySummary(db, filter).count;
      const names = new Map((db.prepare('SELECT id, name FROM accounts').all() as { id: string; name: string }[]).map((a) => [a.id, a.name]));
      const name = (id: string) => names.get(id) ?? id;
      let bytes = 0;
      const put = async (s: string) => {
        const b = Buffer.from(s, 'utf8');
        bytes += b.length;
        if (zip) await zip.write(b);
        else fs.writeSync(fd!, b);
      };
      if (zip) {
        for (const [n, xml] of Object.entries(XLSX_PARTS)) await zip.add(n, xml);
        zip.begin('xl/worksheets/sheet1.xml');
        await put(SHEET_START + xlsxHeaderRow());
      } else await put(CSV_BOM + csvHeader());
      let chunk: string[] = [];
      for (const r of iterateRows(db, filter)) {
        rows++;
        chunk.push(zip ? xlsxRow(r, rows + 1, name) : csvLine(r, name));
        if (chunk.length === CHUNK_ROWS) {
          await put(chunk.join(''));
          chunk = [];
          progress?.(rows, total, bytes);
          // Let main answer other requests (and a cancel) between chunks.
          await new Promise<void>((r) => setImmediate(r));
          if (cancelled?.()) throw new AppError('EXPORT_CANCELLED', 'Exportação cancelada. Nenhum arquivo foi gerado.');
        }
      }
      if (chunk.length) await put(chunk.join(''));
      if (zip) {
        await put(SHEET_END);
        await zip.end();
        zip.finish();
      } else fs.closeSync(fd!);
      progress?.(rows, total, bytes);
      return { rows, bytes: fs.statSync(file).size };
    } catch (e) {
      if (zip) zip.abort();
      else
        try {
          fs.closeSync(fd!);
        } catch {
          /* closed */
        }
      fs.rmSync(file, { force: true });
      throw e;
    } finally {
      db.close();
    }
  }

  /** Start an export for the screen; it runs in the background and reports with events. */
  start(filter: ChargeListFilter, format: ExportFormat, now: Date): ExportJobView {
    fs.mkdirSync(this.d.dir, { recursive: true, mode: 0o700 });
    const id = crypto.randomBytes(12).toString('hex');
    const stamp = new Date(now.getTime() - 3 * 3600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const view: ExportJobView = { id, format, fileName: `cobrancas-${stamp}.${format}`, state: 'running', rows: 0, total: 0, bytes: 0, error: null };
    const job: Job = { view, file: path.join(this.d.dir, `${id}.${format}`), cancelled: false };
    this.jobs.set(id, job);
    let last = 0;
    const emit = () => this.d.events.publish('charges:export-progress', { ...view } satisfies ExportProgress);
    void this.writeFile(filter, format, job.file, (rows, total, bytes) => {
      Object.assign(view, { rows, total, bytes });
      const t = Date.now();
      if (t - last > 150) {
        last = t;
        emit();
      }
    }, () => job.cancelled)
      .then((r) => Object.assign(view, { state: 'done', rows: r.rows, bytes: r.bytes }))
      .catch((e: unknown) => {
        const cancelledNow = e instanceof AppError && e.code === 'EXPORT_CANCELLED';
        Object.assign(view, { state: cancelledNow ? 'cancelled' : 'failed', error: cancelledNow ? null : 'Não foi possível gerar o arquivo. Verifique o espaço em disco e tente de novo.' });
      })
      .finally(emit);
    return { ...view };
  }

  /** Ask a running export to stop after its current chunk. */
  cancel(id: string): ExportJobView {
    const job = this.job(id);
    job.cancelled = true;
    return { ...job.view };
  }

  /** Where an export is. */
  status(id: string): ExportJobView {
    return { ...this.job(id).view };
  }

  /** A piece of a finished export (base64); the file is removed once its last piece was read. */
  read(id: string, offset: number): { base64: string; nextOffset: number | null; size: number } {
    const job = this.job(id);
    if (job.view.state !== 'done') throw new AppError('EXPORT_NOT_READY', 'A exportação ainda não terminou. Aguarde a barra de progresso chegar ao fim.');
    const size = fs.statSync(job.file).size;
    const fd = fs.openSync(job.file, 'r');
    try {
      const buf = Buffer.alloc(Math.max(0, Math.min(READ_BYTES, size - offset)));
      fs.readSync(fd, buf, 0, buf.length, offset);
      const next = offset + buf.length < size ? offset + buf.length : null;
      return { base64: buf.toString('base64'), nextOffset: next, size };
    } finally {
      fs.closeSync(fd);
      if (offset + READ_BYTES >= size) {
        fs.rmSync(job.file, { force: true });
        this.jobs.delete(id);
      }
    }
  }

  private job(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('EXPORT_NOT_FOUND', 'Exportação não encontrada (já baixada ou de outra sessão). Exporte de novo.');
    return job;
  }
}

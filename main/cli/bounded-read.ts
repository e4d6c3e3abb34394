import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';

export interface BoundedReadOptions {
  maxBytes: number;
  /** The whole read (open to last byte) must end within this; a stuck network disk or device fails clearly. */
  timeoutMs?: number;
}

/**
 * Read a file the person named on the command line, bounded in size and time. Only regular files are read:
 * `/dev/zero` would grow without end and a FIFO would block forever. The file is opened with O_NONBLOCK (so
 * opening a FIFO cannot hang), checked with fstat on the same descriptor (no swap between check and read), and at
 * most `maxBytes + 1` bytes are read, so a file that grows after the check is still refused.
 */
export async function readBoundedFile(file: string, opts: BoundedReadOptions): Promise<Buffer> {
  const name = path.basename(file);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let handle: fs.promises.FileHandle | null = null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('FILE_READ_TIMEOUT', `A leitura de "${name}" passou de ${Math.round(timeoutMs / 1000)} s e foi interrompida (disco de rede ou dispositivo lento?). Copie o arquivo para uma pasta local e tente de novo.`));
      void handle?.close().catch(() => undefined);
    }, timeoutMs);
  });
  const read = async (): Promise<Buffer> => {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = await handle.stat();
    if (st.isDirectory()) throw new AppError('FILE_NOT_FOUND', `"${file}" é uma pasta; informe o arquivo.`);
    if (!st.isFile()) {
      throw new AppError('FILE_NOT_REGULAR', `"${file}" não é um arquivo comum (é um dispositivo, um pipe ou um socket). Informe o arquivo salvo em disco.`);
    }
    if (st.size > opts.maxBytes) throw tooLarge(name, opts.maxBytes);
    // Never more than maxBytes + 1 bytes: a file that grows after fstat is still refused.
    let buf = Buffer.alloc(Math.min(opts.maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length > opts.maxBytes) throw tooLarge(name, opts.maxBytes);
        const bigger = Buffer.alloc(Math.min(opts.maxBytes + 1, buf.length * 2));
        buf.copy(bigger);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) return buf.subarray(0, total);
      total += bytesRead;
    }
  };
  try {
    return await Promise.race([read(), timeout]);
  } catch (e) {
    throw readError(e, file);
  } finally {
    clearTimeout(timer);
    await (handle as fs.promises.FileHandle | null)?.close().catch(() => undefined);
  }
}

function tooLarge(name: string, max: number): AppError {
  const size = max >= 1048576 ? `${Math.round(max / 1048576)} MB` : `${Math.round(max / 1024)} KB`;
  return new AppError('FILE_TOO_LARGE', `O arquivo "${name}" tem mais de ${size}: não parece ser o arquivo esperado.`);
}

function readError(e: unknown, file: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new AppError('FILE_NOT_FOUND', `Arquivo não encontrado: ${file}`);
  if (code === 'EACCES' || code === 'EPERM') return new AppError('FILE_NOT_READABLE', `Sem permissão para ler o arquivo: ${file}`);
  if (code === 'EISDIR') return new AppError('FILE_NOT_FOUND', `"${file}" é uma pasta; informe o arquivo.`);
  return new AppError('FILE_NOT_READABLE', `Não foi possível ler o arquivo: ${file}`);
}

import type { Result } from '../main/core/contract/types';

/** One piece of a file main wrote in the profile (exports, backups): base64 bytes and where the next one starts. */
export interface FilePiece {
  base64: string;
  nextOffset: number | null;
}

/**
 * Read a file from main piece by piece (`read(offset)`, an operation of the contract) and hand it to the browser —
 * or Electron's save dialog — as a download named `fileName`. Returns null, or main's pt-BR message when a piece
 * could not be read (nothing is downloaded then).
 */
export async function downloadInPieces(read: (offset: number) => Promise<Result<FilePiece>>, fileName: string, type: string): Promise<string | null> {
  const parts: BlobPart[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const r = await read(offset);
    if (!r.ok) return r.error.message;
    const bin = atob(r.value.base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    parts.push(bytes);
    offset = r.value.nextOffset;
  }
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return null;
}

import { MAX_IMPORT_BYTES } from '../../main/core/contract/limits';

/** Largest credential file accepted: main's own limit (contract/limits.ts). */
export const MAX_CREDENTIAL_BYTES = MAX_IMPORT_BYTES;

/** Read a dropped or chosen file as base64, in chunks (no giant argument lists, no data-URL prefix). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

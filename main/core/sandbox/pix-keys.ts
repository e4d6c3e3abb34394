import type { Db } from '../db';
import { AppError } from '../errors';
import { directoryKeyType } from './brcode-bridge';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Pix keys registered for each Client ID, as the bank knows them from the DICT: a key belongs to one account,
 * and a cob on a key the calling account does not own is refused.
 */
export class PixKeyStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * Register `chave` for `clientId` (idempotent for the same client). Throws AppError SANDBOX_PIX_KEY_INVALID for a
   * key outside the DICT formats and SANDBOX_PIX_KEY_TAKEN when another Client ID owns it.
   */
  register(clientId: string, chave: string): void {
    const client = clientId.trim().toLowerCase();
    if (!UUID.test(client)) throw new AppError('SANDBOX_CLIENT_ID', 'O Client ID deve ser um UUID (ex.: 3f2a…-…).');
    if (directoryKeyType(chave) === null) {
      throw new AppError(
        'SANDBOX_PIX_KEY_INVALID',
        `Chave Pix inválida: "${chave}". Use CPF ou CNPJ só com dígitos, telefone +55…, e-mail em minúsculas ou chave aleatória (UUID em minúsculas).`,
      );
    }
    this.db.transaction(() => {
      const owner = this.owner(chave);
      if (owner === client) return;
      if (owner) throw new AppError('SANDBOX_PIX_KEY_TAKEN', `A chave Pix ${chave} já está registrada para outro Client ID no sandbox. Use outra chave.`);
      this.db.prepare('INSERT INTO pix_keys (chave, client_id, created_ms) VALUES (?, ?, ?)').run(chave, client, this.now().getTime());
    }).immediate();
  }

  /** Remove a client's key; false when it was not registered for that client. */
  unregister(clientId: string, chave: string): boolean {
    return this.db.prepare('DELETE FROM pix_keys WHERE chave = ? AND client_id = ?').run(chave, clientId.toLowerCase()).changes > 0;
  }

  /** The keys registered for a client, oldest first. */
  list(clientId: string): string[] {
    const rows = this.db.prepare('SELECT chave FROM pix_keys WHERE client_id = ? ORDER BY created_ms, chave').all(clientId.toLowerCase()) as { chave: string }[];
    return rows.map((r) => r.chave);
  }

  /** The Client ID that owns a key, or null. */
  owner(chave: string): string | null {
    const r = this.db.prepare('SELECT client_id FROM pix_keys WHERE chave = ?').get(chave) as { client_id: string } | undefined;
    return r?.client_id ?? null;
  }
}

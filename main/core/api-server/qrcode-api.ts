import crypto from 'node:crypto';
import type { AuthenticatedApp } from '../apps';
import { encodeStatic } from '../brcode';
import type { ChargeEngine } from '../charges';
import { centsToValor } from '../charges';
import { ApiStore, pageInfo } from './api-store';
import { ApiError } from './http-errors';
import { openPixQrCode } from './openpix-views';

export interface QrCodeBody {
  name: string;
  correlationID?: string | undefined;
  value?: number | undefined;
  comment?: string | undefined;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 25 random [A-Za-z0-9] (the most a static BR Code's txid takes), without modulo bias. */
function staticTxid(): string {
  let out = '';
  while (out.length < 25) for (const b of crypto.randomBytes(32)) if (b < 248 && out.length < 25) out += ALNUM[b % 62];
  return out;
}

/**
 * OpenPix's static QR codes (`/api/v1/qrcode-static`): a reusable BR Code on the app's account, built here with no
 * bank call. Its txid lets reconciliation tell its payments apart (they arrive as received Pix with that txid).
 */
export class QrCodeApi {
  constructor(
    private readonly engine: ChargeEngine,
    private readonly store: ApiStore,
    private readonly baseUrl: () => string,
  ) {}

  create(app: AuthenticatedApp, b: QrCodeBody, returnExisting: boolean): Record<string, unknown> {
    const correlationId = b.correlationID ?? crypto.randomUUID();
    const taken = this.store.qrCode(app.id, correlationId);
    if (taken) {
      if (!returnExisting) throw new ApiError(400, `Já existe um QR Code estático com o correlationID "${correlationId}". Use outro, ou ?return_existing=true.`);
      return { pixQrCode: openPixQrCode(taken, this.baseUrl()) };
    }
    const a = this.engine.charges.pickAccount(app.accountId ?? undefined);
    const key = a.pixKeys[0];
    if (!key) throw new ApiError(400, `A conta "${a.name}" não tem chave Pix cadastrada. Cadastre uma no PixDesk (Contas) antes de criar QR Codes.`);
    const txid = staticTxid();
    const brCode = encodeStatic({ key, name: a.company, city: a.city, amount: b.value ? centsToValor(b.value) : null, txid, description: b.comment ?? null });
    const row = {
      id: crypto.randomUUID(), app_id: app.id, correlation_id: correlationId, account_id: a.id, name: b.name, value: b.value ?? null,
      comment: b.comment ?? null, txid, br_code: brCode, payment_link_id: crypto.randomUUID(), created_at: new Date().toISOString(),
    };
    if (!this.store.insertQrCode(row)) return this.create(app, b, returnExisting);
    return { pixQrCode: openPixQrCode(row, this.baseUrl()) };
  }

  get(app: AuthenticatedApp, id: string): Record<string, unknown> {
    const q = this.store.qrCode(app.id, id);
    if (!q) throw new ApiError(404, `QR Code estático não encontrado: "${id.slice(0, 80)}".`);
    return { pixQrCode: openPixQrCode(q, this.baseUrl()) };
  }

  list(app: AuthenticatedApp, skip: number, limit: number): Record<string, unknown> {
    const { rows, total } = this.store.qrCodes(app.id, skip, limit);
    return { pixQrCodes: rows.map((q) => openPixQrCode(q, this.baseUrl())), pageInfo: pageInfo(skip, limit, total) };
  }
}

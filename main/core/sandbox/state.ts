import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../db';
import { profileFiles } from '../profile';
import { ChargeStore } from './charge-store';
import { JwtSigner } from './jwt';
import { LocationStore } from './location-store';
import { sandboxMigrations } from './migrations';
import { payBrCode, payKey, payTxid, seedReceivedPix, type PayOptions, type PaymentResult, type SeedPixOptions } from './payer';
import { PixKeyStore } from './pix-keys';
import { StsStore, type IssuedToken } from './sts-store';

/** Options for opening the state file outside the default Node runtime. */
export interface SandboxStateOptions {
  /** Electron ships its own build of better-sqlite3's native addon. */
  nativeBinding?: string;
}

/** What `GET /sandbox/stats` answers. */
export interface SandboxStats {
  /** `/api/oauth/token` requests per Client ID ("desconhecido": no issued certificate on the connection). */
  tokenRequests: Record<string, number>;
  /** Charges (cob + cobv) per Client ID. */
  charges: Record<string, number>;
  /** Received Pix in the sandbox (all clients). */
  pix: number;
}

/** Where the sandbox keeps its files inside a profile folder. */
export function sandboxDir(profileDir: string): string {
  return path.join(profileDir, profileFiles.sandboxDir);
}

/**
 * The sandbox's persistent state: `<profile>/sandbox/sandbox.sqlite` (WAL, so the app's in-process server, `pixdesk
 * sandbox serve` and one-shot CLI commands can share it) plus the JWT signing key. Every read goes to the database,
 * never to a cache, so a payment recorded by another process is seen at once.
 */
export class SandboxState {
  /** STS records: clients, temporary tokens, secrets, certificates, access tokens. */
  readonly sts: StsStore;
  /** Pix API records: charges, received Pix, refunds, webhooks. */
  readonly charges: ChargeStore;
  /** Payload locations (`/loc`). */
  readonly locations: LocationStore;
  /** Pix keys registered per Client ID. */
  readonly keys: PixKeyStore;

  constructor(
    readonly dir: string,
    readonly db: Db,
    readonly jwt: JwtSigner,
    readonly now: () => Date,
  ) {
    this.sts = new StsStore(db, jwt, now);
    this.charges = new ChargeStore(db, now);
    this.locations = new LocationStore(db, now);
    this.keys = new PixKeyStore(db, now);
  }

  /**
   * Record a temporary token as Itaú's account manager would send it: a JWT with `sub` = Client ID (a new random
   * UUID unless given), single use, valid `validHours` (default 168 = 7 days).
   */
  issueToken(opts: { clientId?: string; validHours?: number } = {}): IssuedToken {
    return this.sts.issueTemporaryToken(opts);
  }

  /**
   * Pay a BR Code as a payer's bank app would: a dynamic code pays its charge (refused when not ATIVA, expired or
   * for another amount), a static code records a Pix on its key. Throws AppError with a pt-BR message on refusal.
   */
  pay(brcode: string, opts: PayOptions = {}): PaymentResult {
    return payBrCode(this, brcode, opts);
  }

  /** Pay the charge a receiver created with `txid` (found among every client unless `clientId` is given). */
  payTxid(txid: string, opts: PayOptions & { clientId?: string } = {}): PaymentResult {
    return payTxid(this, txid, opts);
  }

  /** A direct transfer to a Pix key (no charge, no txid): the receiver sees it as "Pix recebido". */
  payKey(chave: string, opts: PayOptions & { amount: string }): PaymentResult {
    return payKey(this, chave, opts);
  }

  /** Record `count` received Pix at once (one transaction), for benchmarks of reconciliation. */
  seedPix(opts: SeedPixOptions): { count: number; fromMs: number; toMs: number; chave: string } {
    return seedReceivedPix(this, opts);
  }

  /** Statistics the benchmarks read: token requests and charges per Client ID. */
  stats(): SandboxStats {
    const charges = this.db.prepare('SELECT client_id, COUNT(*) AS n FROM charges GROUP BY client_id ORDER BY client_id').all() as { client_id: string; n: number }[];
    const pix = (this.db.prepare('SELECT COUNT(*) AS n FROM pix').get() as { n: number }).n;
    return { tokenRequests: this.sts.tokenRequestCounts(), charges: Object.fromEntries(charges.map((r) => [r.client_id, r.n])), pix };
  }

  /** Close the database. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Open (creating on first use) a profile's sandbox state. `now` is injectable for tests of expiry. */
export function openSandboxState(profileDir: string, now: () => Date = () => new Date(), opts: SandboxStateOptions = {}): SandboxState {
  const dir = sandboxDir(profileDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const jwt = JwtSigner.loadOrCreate(dir);
  const db = openDatabase({ file: path.join(dir, 'sandbox.sqlite'), migrations: sandboxMigrations, nativeBinding: opts.nativeBinding });
  return new SandboxState(dir, db, jwt, now);
}

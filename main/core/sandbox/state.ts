import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../db';
import { profileFiles } from '../profile';
import { ChargeStore } from './charge-store';
import { JwtSigner } from './jwt';
import { sandboxMigrations } from './migrations';
import { payBrCode, type PayOptions, type PaymentResult } from './payer';
import { StsStore, type IssuedToken } from './sts-store';

/** Options for opening the state file outside the default Node runtime. */
export interface SandboxStateOptions {
  /** Electron ships its own build of better-sqlite3's native addon. */
  nativeBinding?: string;
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

  constructor(
    readonly dir: string,
    readonly db: Db,
    readonly jwt: JwtSigner,
    readonly now: () => Date,
  ) {
    this.sts = new StsStore(db, jwt, now);
    this.charges = new ChargeStore(db, now);
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

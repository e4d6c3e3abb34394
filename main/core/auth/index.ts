import crypto from 'node:crypto';
import type { OpName } from '../contract/ops';
import type { Db } from '../db';
import { AppError } from '../errors';
import { hashPassword, LOGIN_SCRYPT, MIN_LOGIN_PASSWORD, verifyPassword, type LoginScryptCost } from './password';
import { OP_ACCESS, SETTINGS_ACCESS, type Role } from './roles';
import { AuthSession, type CallContext, type SessionUser } from './session';

export { AuthSession, type CallContext, type SessionUser } from './session';
export { OP_ACCESS, ROLES, SETTINGS_ACCESS, type Access, type Role } from './roles';

/** How long a password asked again stays good for the one sensitive operation it was asked for. */
export const CONFIRM_WINDOW_MS = 120_000;
/** Failed logins of one name in a row before that name waits {@link LOGIN_BACKOFF_MS}. */
export const MAX_FAILED_LOGINS = 5;
export const LOGIN_BACKOFF_MS = 30_000;

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  active: number;
}

export interface AuthDeps {
  db: Db;
  now: () => Date;
  /** Idle minutes before a page locks (0: never). */
  idleMinutes: () => number;
  /** Logins and failed logins go to the audit log (never the password). */
  audit: (action: 'login' | 'login.failed' | 'logout', actor: string, details: Record<string, unknown>) => void;
  shell: 'electron' | 'browser' | 'cli';
  /** The stored value of a setting: writing the same value again is not a change that needs a role or a password. */
  currentSetting?: (key: string) => unknown;
  scrypt?: LoginScryptCost;
}

const refuse = {
  login: () => new AppError('AUTH_REQUIRED', 'Entre com seu nome e senha para continuar.'),
  locked: (name: string) => new AppError('AUTH_LOCKED', `A tela foi bloqueada por inatividade. ${name}, digite sua senha para continuar.`),
  role: () => new AppError('FORBIDDEN', 'Seu perfil de acesso não permite esta ação. Peça a um administrador.'),
  reauth: () => new AppError('REAUTH_REQUIRED', 'Confirme sua senha para esta ação.'),
};

/**
 * People, roles and sessions. {@link authorize} is what the dispatcher asks before every handler: the caller's
 * session against {@link OP_ACCESS}. A profile with no users yet runs as an implicit administrator (as before
 * roles existed) until `auth:setup` creates the first admin; from then on every page must log in.
 */
export class AuthService {
  private readonly failures = new Map<string, { n: number; at: number }>();

  constructor(private readonly d: AuthDeps) {}

  private nowMs(): number {
    return this.d.now().getTime();
  }

  hasUsers(): boolean {
    return this.d.db.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined;
  }

  /** What a page may know about its own session (never anything of other people). */
  status(session: AuthSession | undefined): { hasUsers: boolean; user: SessionUser | null; lockedName: string | null; idleMinutes: number } {
    if (session) this.expireIfIdle(session);
    return { hasUsers: this.hasUsers(), user: session?.user ?? null, lockedName: session?.lockedName ?? null, idleMinutes: this.d.idleMinutes() };
  }

  /** First run: the first administrator, logged in on this page. Refused once anyone exists. */
  setup(session: AuthSession | undefined, name: string, password: string): SessionUser {
    if (this.hasUsers()) throw new AppError('AUTH_SETUP_DONE', 'O administrador já foi criado. Entre com seu nome e senha.');
    const user = this.insert(name, password, 'admin');
    session?.logIn(user, this.nowMs());
    this.d.audit('login', `user:${user.name}`, { first: true, role: 'admin' });
    return user;
  }

  /** A new person (admin only, with the password asked again: see OP_ACCESS). */
  createUser(name: string, password: string, role: Role): SessionUser {
    return this.insert(name, password, role);
  }

  listUsers(): SessionUser[] {
    return this.d.db.prepare('SELECT id, name, role FROM users WHERE active = 1 ORDER BY name').all() as SessionUser[];
  }

  private insert(name: string, password: string, role: Role): SessionUser {
    if (password.length < MIN_LOGIN_PASSWORD) {
      throw new AppError('PASSWORD_SHORT', `A senha precisa de pelo menos ${MIN_LOGIN_PASSWORD} caracteres. Uma frase curta é mais fácil de lembrar.`, { field: 'password' });
    }
    if (this.d.db.prepare('SELECT 1 FROM users WHERE name = ?').get(name)) {
      throw new AppError('USER_EXISTS', `Já existe uma pessoa chamada "${name}". Escolha outro nome.`, { field: 'name' });
    }
    const at = this.d.now().toISOString();
    const user = { id: crypto.randomUUID(), name, role };
    this.d.db
      .prepare('INSERT INTO users (id, name, role, password_hash, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
      .run(user.id, name, role, hashPassword(password, this.d.scrypt ?? LOGIN_SCRYPT), at, at);
    return user;
  }

  /** Log a page in (also unlocks an idle-locked page). A wrong name or password says the same; five in a row wait. */
  login(session: AuthSession | undefined, name: string, password: string): SessionUser {
    const key = name.toLowerCase();
    const f = this.failures.get(key);
    if (f && f.n >= MAX_FAILED_LOGINS && this.nowMs() - f.at < LOGIN_BACKOFF_MS) {
      this.d.audit('login.failed', 'sistema', { name, reason: 'backoff' });
      throw new AppError('LOGIN_BACKOFF', `Muitas tentativas erradas para "${name}". Aguarde ${Math.round(LOGIN_BACKOFF_MS / 1000)} segundos e tente de novo.`);
    }
    const row = this.d.db.prepare('SELECT id, name, role, password_hash, active FROM users WHERE name = ?').get(name) as UserRow | undefined;
    // A missing name still spends a hash, so timing does not tell which names exist.
    const ok = row ? verifyPassword(password, row.password_hash) && row.active === 1 : (verifyPassword(password, this.dummyHash()), false);
    if (!ok || !row) {
      this.failures.set(key, { n: (f?.n ?? 0) + 1, at: this.nowMs() });
      this.d.audit('login.failed', 'sistema', { name });
      throw new AppError('LOGIN_FAILED', 'Nome ou senha incorretos. Confira e tente de novo.', { field: 'password' });
    }
    this.failures.delete(key);
    const user = { id: row.id, name: row.name, role: row.role };
    session?.logIn(user, this.nowMs());
    this.d.audit('login', `user:${user.name}`, { role: user.role });
    return user;
  }

  logout(session: AuthSession | undefined): void {
    if (session?.user) this.d.audit('logout', `user:${session.user.name}`, {});
    session?.logOut();
  }

  /** The password asked again: good for one sensitive operation within {@link CONFIRM_WINDOW_MS}. */
  confirm(session: AuthSession | undefined, password: string): { confirmed: true } {
    const user = session?.user;
    if (!user) throw refuse.login();
    const row = this.d.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(user.id) as { password_hash: string } | undefined;
    if (!row || !verifyPassword(password, row.password_hash)) {
      this.d.audit('login.failed', `user:${user.name}`, { reason: 'confirm' });
      throw new AppError('LOGIN_FAILED', 'Senha incorreta. Nada foi feito.', { field: 'password' });
    }
    session.confirmedAt = this.nowMs();
    session.lastActive = this.nowMs();
    return { confirmed: true };
  }

  /**
   * A person used this page (a key, a click, a scroll: the renderer reports it, at most every few seconds). The only
   * call that restarts the idle clock besides logging in and typing the password again: a screen that refreshes
   * itself (lists, dashboards, the till) keeps calling main with nobody at the desk, and must still lock.
   */
  activity(session: AuthSession | undefined): { idleMinutes: number } {
    if (session?.user) session.lastActive = this.nowMs();
    return { idleMinutes: this.d.idleMinutes() };
  }

  /**
   * May this page receive this event? Before people exist, every page (as before); then only a logged-in page;
   * a cashier only hears about charges they created (never onboarding or Pix received without a charge).
   */
  mayReceive(session: AuthSession | undefined, event: { name: string; payload: unknown }, ownerOf: (chargeId: string) => string | null | undefined): boolean {
    if (!this.hasUsers()) return true;
    if (!session) return false;
    this.expireIfIdle(session);
    const user = session.user;
    if (!user) return false;
    if (user.role !== 'cashier') return true;
    // The display of a cashier's till follows the charges they made: a request to show one of them again too.
    if (event.name === 'display:show') {
      const shown = (event.payload as { chargeId?: unknown } | null)?.chargeId;
      return typeof shown === 'string' && ownerOf(shown) === user.id;
    }
    const charge = (event.payload as { charge?: { id?: unknown } } | null)?.charge;
    return event.name.startsWith('charge:') && typeof charge?.id === 'string' && ownerOf(charge.id) === user.id;
  }

  private dummy: string | null = null;

  /** A valid hash of a random password at the real cost, spent when a name does not exist. */
  private dummyHash(): string {
    this.dummy ??= hashPassword(crypto.randomBytes(12).toString('hex'), this.d.scrypt ?? LOGIN_SCRYPT);
    return this.dummy;
  }

  private expireIfIdle(session: AuthSession): void {
    const idle = this.d.idleMinutes();
    if (session.user && idle > 0 && this.nowMs() - session.lastActive > idle * 60_000) session.lock();
  }

  /**
   * May this caller run `op` (with this validated input)? Throws AUTH_REQUIRED / AUTH_LOCKED / FORBIDDEN /
   * REAUTH_REQUIRED with a pt-BR message. `ownerOf` answers who created a charge (for a cashier's `own` rule).
   */
  authorize(op: OpName, input: unknown, ctx: CallContext, ownerOf: (chargeId: string) => string | null | undefined): void {
    if (!this.check(op, ctx)) return;
    const session = ctx.session as AuthSession;
    const user = session.user as SessionUser;
    const access = OP_ACCESS[op];
    let reauth = access.reauth === true;
    if (op === 'settings:set' && input && typeof input === 'object') {
      for (const [k, v] of Object.entries(input)) {
        if (v === undefined || (this.d.currentSetting && this.d.currentSetting(k) === v)) continue;
        const rule = SETTINGS_ACCESS[k];
        if (!rule || !rule.roles.includes(user.role)) throw refuse.role();
        if (rule.reauth) reauth = true;
      }
    }
    if (access.own && user.role === 'cashier') {
      const id = (input as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || ownerOf(id) !== user.id) throw new AppError('FORBIDDEN', 'Esta cobrança não foi criada por você: o caixa só vê e cancela as próprias cobranças.');
    }
    if (reauth) {
      if (session.confirmedAt === null || this.nowMs() - session.confirmedAt > CONFIRM_WINDOW_MS) throw refuse.reauth();
      session.confirmedAt = null; // one confirmation, one sensitive operation
    }
  }

  /**
   * The role check alone, before the input is even read (the dispatcher's gate): a role that may never call `op`
   * is refused whatever it sent. Returns true when the caller is a logged-in person whose finer rules still apply.
   */
  check(op: OpName, ctx: CallContext): boolean {
    const access = OP_ACCESS[op];
    if (access.roles === 'public') return false;
    const session = ctx.session;
    // The CLI runs on the workstation's own terminal, already past the vault's key: a trusted local administrator.
    if (!session && this.d.shell === 'cli') return false;
    if (!this.hasUsers()) return false; // before the first admin exists: as before roles (implicit administrator)
    if (!session) throw refuse.login();
    this.expireIfIdle(session);
    const user = session.user;
    if (!user) throw session.lockedName ? refuse.locked(session.lockedName) : refuse.login();
    if (!access.roles.includes(user.role)) throw refuse.role();
    return true;
  }
}


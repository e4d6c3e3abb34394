import type { Role } from './roles';

/** Who is logged in on one page (browser tab) or window (Electron webContents). */
export interface SessionUser {
  id: string;
  name: string;
  role: Role;
}

/**
 * The identity of one caller of the contract. Each shell keeps one per page session / webContents and hands it to
 * the dispatcher with every call; nothing in it crosses to the renderer except through `auth:status`.
 */
export class AuthSession {
  user: SessionUser | null = null;
  /** After an idle lock: whose password unlocks this page (the lock screen shows the name). */
  lockedName: string | null = null;
  /** When a person last used the page (ms): login, the password typed again, or `auth:activity`; other calls do not count. */
  lastActive: number;
  /** When the password was last asked again (auth:confirm), or null; spent by the sensitive call it allowed. */
  confirmedAt: number | null = null;

  constructor(now: number) {
    this.lastActive = now;
  }

  logIn(user: SessionUser, now: number): void {
    this.user = user;
    this.lockedName = null;
    this.lastActive = now;
    this.confirmedAt = null;
  }

  logOut(): void {
    this.user = null;
    this.lockedName = null;
    this.confirmedAt = null;
  }

  lock(): void {
    this.lockedName = this.user?.name ?? this.lockedName;
    this.user = null;
    this.confirmedAt = null;
  }
}

/** Passed by each shell with every call: the caller's session (absent only for the CLI, a local trusted terminal). */
export interface CallContext {
  session?: AuthSession | undefined;
}

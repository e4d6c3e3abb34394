import type { SandboxEndpoints } from './itau/endpoints';
import { startSandbox, type RunningSandbox } from './sandbox';
import { SANDBOX_ISSUER } from './sandbox/jwt';

/**
 * The profile's own local Itaú sandbox, started in-process on a free loopback port the first time a
 * sandbox account needs it, and shared by everything in this process.
 */
export class SandboxRuntime {
  private running: Promise<RunningSandbox> | null = null;
  /** `iss` of the temporary tokens this sandbox issues (services get it injected instead of importing the sandbox). */
  readonly issuer: string = SANDBOX_ISSUER;

  constructor(private readonly profileDir: string, private readonly nativeBinding?: string) {}

  /** Base URLs and CA of the running sandbox (starting it if needed). */
  async endpoints(): Promise<SandboxEndpoints> {
    const sb = await this.get();
    return { stsUrl: sb.stsUrl, pixUrl: sb.pixUrl, caPem: sb.caPem };
  }

  get(): Promise<RunningSandbox> {
    if (!this.running) {
      this.running = startSandbox({ profileDir: this.profileDir, host: '127.0.0.1', port: 0, ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}) });
      this.running.catch(() => (this.running = null));
    }
    return this.running;
  }

  async close(): Promise<void> {
    if (!this.running) return;
    const p = this.running;
    this.running = null;
    try {
      await (await p).close();
    } catch {
      /* it never started */
    }
  }
}

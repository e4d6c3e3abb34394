import type { SandboxEndpoints } from './itau/endpoints';
import { secureProfileDir, withPrivateUmask } from './profile';
import { startSandbox, type RunningSandbox } from './sandbox';

/**
 * The profile's own local Itaú sandbox, started in-process on a free loopback port the first time a
 * sandbox account needs it, and shared by everything in this process.
 */
export class SandboxRuntime {
  private running: Promise<RunningSandbox> | null = null;

  constructor(private readonly profileDir: string, private readonly nativeBinding?: string) {}

  /** Base URLs and CA of the running sandbox (starting it if needed). */
  async endpoints(): Promise<SandboxEndpoints> {
    const sb = await this.get();
    return { stsUrl: sb.stsUrl, pixUrl: sb.pixUrl, caPem: sb.caPem };
  }

  get(): Promise<RunningSandbox> {
    if (!this.running) {
      const started = withPrivateUmask(() =>
        startSandbox({ profileDir: this.profileDir, host: '127.0.0.1', port: 0, ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}) }),
      );
      // Its CA, keys and database live in the profile: owner-only like the rest of it.
      this.running = started.then((sb) => (secureProfileDir(this.profileDir), sb));
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

import readline from 'node:readline';
import { AppError } from '../core/errors';
import { chooseNodeKeyProvider, type ChosenProvider } from '../core/vault/node-providers';
import { systemKeychain, type KeychainEntryFactory } from '../core/vault';

/**
 * How the Node shells (CLI, browser host) get the vault's key provider, and the admin password when the profile
 * uses one: `PIXDESK_PASSWORD` from the environment (kiosks started by a service), else — only to unlock an
 * existing profile, and only where a terminal is attached — a prompt that does not echo. A new profile is
 * protected by a password only when one is given explicitly (the variable, or `pixdesk vault protect`).
 */
export async function nodeKeyProvider(profileDir: string, io: { err(t: string): void }, env: NodeJS.ProcessEnv = process.env): Promise<ChosenProvider> {
  return chooseNodeKeyProvider({
    profileDir,
    keychain: keychainFromEnv(env),
    password: async (purpose) => {
      const fromEnv = env.PIXDESK_PASSWORD;
      if (fromEnv) return fromEnv;
      if (purpose === 'unlock' && process.stdin.isTTY) return askHidden('Senha de administrador do PixDesk: ', io);
      return null;
    },
  });
}

/** The OS keychain unless `PIXDESK_KEYCHAIN=off` (tests, or a machine whose keychain should not be used). */
export function keychainFromEnv(env: NodeJS.ProcessEnv): KeychainEntryFactory | null {
  if (env.PIXDESK_KEYCHAIN === 'off') return null;
  try {
    return systemKeychain();
  } catch {
    return null; // the native module is missing for this platform: no keychain here
  }
}

/** Read a line from the terminal without echoing it. Resolves null on Ctrl-D; Ctrl-C aborts. */
export function askHidden(question: string, io: { err(t: string): void }): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput?: (s: string) => void };
    let asked = false;
    out._writeToOutput = (s: string) => {
      // Show the question once, then nothing of what is typed.
      if (!asked) {
        asked = true;
        process.stderr.write(s);
      }
    };
    rl.on('SIGINT', () => {
      rl.close();
      io.err('');
      reject(new AppError('CANCELLED', 'Cancelado.'));
    });
    rl.question(question, (answer) => {
      rl.close();
      io.err('');
      resolve(answer.length ? answer : null);
    });
    rl.on('close', () => resolve(null));
  });
}

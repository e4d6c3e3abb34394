import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { AppError } from '../errors';

/**
 * Wraps and unwraps the vault's data key with something bound to this device. Implementations:
 * `FileKeyProvider` (Node: CLI, browser host, tests) and the Electron `safeStorage` adapter in
 * main/electron. `backend` is recorded next to the wrapped key so a change of backend is detected.
 */
export interface KeyProvider {
  /** Stable provider name, e.g. "file" or "safeStorage". */
  readonly kind: string;
  /** Backend detail, e.g. "gnome_libsecret", "keychain", "file+machine-id". */
  readonly backend: string;
  wrap(dataKey: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

/** Read this machine's stable id; falls back to the host name where the OS exposes none. */
export function readMachineId(): string {
  const candidates = ['/etc/machine-id', '/var/lib/dbus/machine-id'];
  for (const f of candidates) {
    try {
      const v = fs.readFileSync(f, 'utf8').trim();
      if (v) return v;
    } catch {
      /* try the next source */
    }
  }
  try {
    if (process.platform === 'darwin') {
      const out = execFileSync('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice'], { encoding: 'utf8' });
      const m = /"IOPlatformUUID" = "([^"]+)"/.exec(out);
      if (m?.[1]) return m[1];
    } else if (process.platform === 'win32') {
      const out = execFileSync('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid'], {
        encoding: 'utf8',
      });
      const m = /MachineGuid\s+REG_SZ\s+(\S+)/.exec(out);
      if (m?.[1]) return m[1];
    }
  } catch {
    /* fall through */
  }
  return `host:${os.hostname()}`;
}

const WRAP_INFO = Buffer.from('pixdesk vault wrap v1');

/**
 * A device key that others could read may already have been copied: refuse it (saying how to fix it) rather than
 * silently narrowing its mode. POSIX only; on Windows the profile lives under the user's own AppData.
 */
export function refuseLooseKeyFile(file: string): void {
  if (process.platform === 'win32') return;
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      'VAULT_KEYFILE_PERMISSIONS',
      `O arquivo da chave do dispositivo (${file}) pode ser lido por outros usuários deste computador (permissão ${mode.toString(8).padStart(3, '0')}), então o PixDesk não o usa. Restrinja-o com: chmod 600 "${file}" — e abra o PixDesk de novo. Se alguém pode ter copiado o arquivo, refaça o onboarding das contas.`,
    );
  }
}

/**
 * Node key provider: a random 256-bit key in `<profile>/device.key` (mode 0600) mixed with the machine
 * id through HKDF, so a profile folder copied to another machine does not open there.
 */
export class FileKeyProvider implements KeyProvider {
  readonly kind = 'file';
  readonly backend = 'file+machine-id';
  private readonly keyFile: string;
  private readonly machineId: string;

  constructor(opts: { profileDir: string; machineId?: string }) {
    this.keyFile = path.join(opts.profileDir, 'device.key');
    this.machineId = opts.machineId ?? readMachineId();
  }

  private wrappingKey(create: boolean): Buffer {
    let raw: Buffer;
    if (fs.existsSync(this.keyFile)) {
      refuseLooseKeyFile(this.keyFile);
      raw = Buffer.from(fs.readFileSync(this.keyFile, 'utf8').trim(), 'hex');
      if (raw.length !== 32) {
        throw new AppError('VAULT_KEYFILE', 'O arquivo de chave do dispositivo (device.key) está corrompido. Restaure-o de um backup desta mesma máquina.');
      }
    } else if (create) {
      raw = crypto.randomBytes(32);
      fs.mkdirSync(path.dirname(this.keyFile), { recursive: true });
      fs.writeFileSync(this.keyFile, raw.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } else {
      throw new AppError('VAULT_KEYFILE', 'O arquivo de chave do dispositivo (device.key) não foi encontrado no perfil. Sem ele os segredos guardados não podem ser abertos.');
    }
    return Buffer.from(crypto.hkdfSync('sha256', raw, Buffer.from(this.machineId, 'utf8'), WRAP_INFO, 32));
  }

  wrap(dataKey: Buffer): Buffer {
    const key = this.wrappingKey(true);
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]);
  }

  unwrap(wrapped: Buffer): Buffer {
    const key = this.wrappingKey(false);
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12));
      d.setAuthTag(wrapped.subarray(12, 28));
      return Buffer.concat([d.update(wrapped.subarray(28)), d.final()]);
    } catch {
      throw new AppError(
        'VAULT_WRONG_DEVICE',
        'Os segredos deste perfil não podem ser abertos neste computador (chave do dispositivo diferente). Perfis copiados de outra máquina não abrem aqui: faça o onboarding das contas novamente. Nada foi apagado.',
      );
    }
  }
}

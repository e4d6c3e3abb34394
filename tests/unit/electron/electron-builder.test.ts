import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
// Parse electron-builder.yml with the very YAML reader electron-builder loads it with (app-builder-lib's js-yaml).
const appBuilderDir = path.dirname(require.resolve('app-builder-lib/package.json'));
const yaml = createRequire(path.join(appBuilderDir, 'package.json'))('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  asar?: boolean;
  files?: string[];
  extraMetadata?: { main?: string };
  electronFuses?: Record<string, unknown>;
}

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('flips the hardening fuses (Electron security checklist)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names only fuses electron-builder knows (a typo would be ignored or refused at packaging)', () => {
    const scheme = JSON.parse(fs.readFileSync(path.join(appBuilderDir, 'scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } };
    };
    const known = scheme.definitions.FuseOptionsV1.properties;
    for (const [name, value] of Object.entries(config.electronFuses ?? {})) {
      expect(known[name], name).toBeDefined();
      expect(typeof value).toBe(known[name]!.type);
    }
  });

  it('packs into an ASAR (onlyLoadAppFromAsar needs one) and starts the Electron entry of the build', () => {
    expect(config.asar).not.toBe(false);
    expect(config.extraMetadata?.main).toBe('dist/main/electron.cjs');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/electron.cjs');
    expect(config.files).toContain('dist/**');
    expect(config.files).toContain('!**/*.map');
  });
});

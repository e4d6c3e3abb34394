import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('architecture', () => {
  it('main/core never imports electron at runtime (only `import type`)', () => {
    const offenders = walk(path.join(root, 'main/core')).filter((f) => {
      const src = fs.readFileSync(f, 'utf8');
      return /(^|\n)\s*import\s+(?!type\b)[^;]*from\s+['"]electron['"]/.test(src) || /require\(['"]electron['"]\)/.test(src);
    });
    expect(offenders).toEqual([]);
  });

  it('the renderer never imports Node or main-process modules at runtime', () => {
    // Allowed: the dependency-free modules both sides share (operation names, limits, BR Code text rules).
    const offenders = walk(path.join(root, 'renderer')).filter((f) => {
      const src = fs.readFileSync(f, 'utf8');
      return /import\s+(?!type\b)[^;]*from\s+['"](node:|electron|better-sqlite3|node-forge|(\.\.\/)+main\/core\/(?!contract\/(ops|limits|events)['"]|brcode\/text['"]))/.test(src);
    });
    expect(offenders).toEqual([]);
  });

  it('the modules the renderer shares with main stay free of imports (they are bundled into the page)', () => {
    for (const f of ['main/core/contract/ops.ts', 'main/core/contract/limits.ts', 'main/core/brcode/text.ts']) {
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      expect(src, f).not.toMatch(/^\s*import\s+(?!type\b)/m);
      expect(src, f).not.toMatch(/require\(/);
    }
  });

  it('the Electron window keeps the security checklist', () => {
    const src = fs.readFileSync(path.join(root, 'main/electron/window.ts'), 'utf8');
    for (const s of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', "action: 'deny'", 'will-navigate', 'setPermissionRequestHandler']) {
      expect(src).toContain(s);
    }
  });
});

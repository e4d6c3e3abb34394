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
      return /import\s+(?!type\b)[^;]*from\s+['"](node:|electron|better-sqlite3|node-forge|(\.\.\/)+main\/core\/(?!contract\/(ops|limits|events)['"]|brcode\/(text|encode|pix-key|qr)['"]))/.test(src);
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

  it('the BR Code modules the renderer encodes its live preview with stay pure (no node:, only pure neighbours)', () => {
    // Everything encode/pix-key/qr import, transitively: each must import only each other, ../errors and qrcode.
    const seen = new Set<string>();
    const queue = ['main/core/brcode/encode.ts', 'main/core/brcode/pix-key.ts', 'main/core/brcode/qr.ts'];
    while (queue.length) {
      const f = queue.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of src.matchAll(/^\s*import\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1] as string;
        expect(spec, `${f} imports ${spec}`).toMatch(/^(\.\/|\.\.\/errors$|qrcode$)/);
        if (spec.startsWith('.')) {
          const next = path.relative(root, path.resolve(path.dirname(path.join(root, f)), spec));
          queue.push(fs.existsSync(path.join(root, `${next}.ts`)) ? `${next}.ts` : `${next}/index.ts`);
        }
      }
      expect(src, f).not.toMatch(/require\(|process\.|from ['"]node:/);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('the Electron window keeps the security checklist', () => {
    const src = fs.readFileSync(path.join(root, 'main/electron/window.ts'), 'utf8');
    for (const s of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', "action: 'deny'", 'will-navigate', 'setPermissionRequestHandler']) {
      expect(src).toContain(s);
    }
  });
});

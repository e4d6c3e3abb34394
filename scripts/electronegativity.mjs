// `npm run lint:electron` (part of `npm test`): Doyensec's electronegativity over the Electron shell — the main
// process code (main/electron), the preload, the page's HTML (its CSP) and package.json (the Electron version).
// Every finding must be fixed or explained: explained ones are listed, each with its reason, in
// scripts/electronegativity-accepted.json (and in SECURITY.md). The run fails on a finding that is not listed, on
// a listed one that no longer appears (the list stays true), and on a file the tool could not parse (a file it
// skipped would pass unseen).
//
// Offline: the tool's CLI fetches translations and Electron's release list from the network. This script calls
// its runner directly with the English texts it ships, and leaves out the one check that needs the network
// (AvailableSecurityFixesGlobalCheck: Electron security releases; `npm outdated electron` covers that by hand).
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// `--root DIR` scans another copy of the shell (tests/unit/electron/electronegativity.test.ts breaks one on purpose).
const rootFlag = process.argv.indexOf('--root');
const root = rootFlag > 0 && process.argv[rootFlag + 1] ? path.resolve(process.argv[rootFlag + 1]) : repo;

/** What is scanned, relative to the repository. */
const INPUTS = ['main/electron', 'preload', 'renderer/index.html', 'package.json'];
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const acceptedFile = path.join(repo, 'scripts', 'electronegativity-accepted.json');

// The tool's own i18n module would ask an S3 bucket for texts first; give it the local English ones instead.
const i18nPath = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js');
const i18n = require('i18n');
const offlineI18n = new Module(i18nPath);
offlineI18n.filename = i18nPath;
offlineI18n.loaded = true;
offlineI18n.exports = {
  __esModule: true,
  default: async () => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: path.dirname(i18nPath), updateFiles: false, objectNotation: true, register: globalThis });
    i18n.setLocale('en-US');
  },
};
require.cache[i18nPath] = offlineI18n;
const run = require('@doyensec/electronegativity');

// The scanned tree: a copy of the inputs, so the tool sees only the shell (not node_modules or the renderer bundle).
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-electronegativity-'));
try {
  for (const rel of INPUTS) fs.cpSync(path.join(root, rel), path.join(stage, rel), { recursive: true });
  const result = await run({
    input: stage,
    isRelative: true,
    isSarif: false,
    customScan: [],
    excludeFromScan: NETWORK_CHECKS,
    severitySet: undefined,
    confidenceSet: undefined,
    isVerbose: false,
    parserPlugins: [],
  });

  const accepted = JSON.parse(fs.readFileSync(acceptedFile, 'utf8'));
  // A finding is explained for one check, one file and one finding text: a weaker CSP than the explained one, say,
  // comes with another text and fails the gate.
  const key = (id, file, finding) => `${id} ${file.split(path.sep).join('/')} ${finding}`;
  const acceptedKeys = new Map(accepted.map((a) => [key(a.id, a.file, a.finding), a]));
  const seen = new Set();
  const unexplained = [];
  for (const issue of result.issues) {
    const k = key(issue.id, issue.file, issue.description);
    seen.add(k);
    const where = `${issue.file}:${issue.location.line}:${issue.location.column}`;
    const level = `${issue.severity.name}/${issue.confidence.name}`;
    if (acceptedKeys.has(k)) console.log(`  explicado  ${issue.id.padEnd(36)} ${where.padEnd(34)} ${level}`);
    else {
      unexplained.push(issue);
      console.log(`  NOVO       ${issue.id.padEnd(36)} ${where.padEnd(34)} ${level}  ${issue.description}`);
    }
  }
  const stale = accepted.filter((a) => !seen.has(key(a.id, a.file, a.finding)));
  for (const s of stale) console.log(`  SUMIU      ${s.id.padEnd(36)} ${s.file} (tire-o de scripts/electronegativity-accepted.json)`);
  for (const e of result.errors) console.log(`  ERRO       ${e.file}: ${e.message}`);

  console.log(
    `electronegativity: ${result.globalChecks + result.atomicChecks} verificações (${result.globalChecks} globais, ${result.atomicChecks} por arquivo), ` +
      `${result.issues.length} achados, ${result.issues.length - unexplained.length} explicados, ${unexplained.length} novos, ${result.errors.length} erros de leitura.`,
  );
  if (result.atomicChecks < 30) throw new Error('electronegativity carregou menos verificações do que o esperado: confira a versão instalada.');
  if (unexplained.length > 0 || stale.length > 0 || result.errors.length > 0) {
    console.error('Corrija o achado ou explique-o em scripts/electronegativity-accepted.json e no SECURITY.md.');
    process.exitCode = 1;
  }
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}

import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { commands, runCli } from '../../../main/cli/index';
import type { CliCommand } from '../../../main/cli/args';
import type { Core } from '../../../main/core/app';
import { createMemoryLogger, logFileOf } from '../../../main/core/log';
import { FORM, openCore, sandboxSheet, tempProfile } from './support';

const open: Core[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function profile(): string {
  const d = tempProfile();
  dirs.push(d);
  return d;
}

describe('the services log to the profile, secrets never', () => {
  it('onboarding, token and renewal events reach <profile>/logs/pixdesk.log without token, secret or key', async () => {
    const dir = profile();
    const c = openCore(dir);
    open.push(c);
    c.log.level = 'debug';
    const { bytes, token } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'Credencial e Token.xlsx');
    const done = await c.onboarding.run(s.id, FORM);
    await c.renewal.renew(done.accountId!);
    const creds = c.accounts.credentials(done.accountId!);
    const accessToken = await c.tokens.get(done.accountId!);
    await c.close();
    open.splice(0);

    const file = logFileOf(dir);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    const events = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const msgs = events.map((e) => e.msg);
    for (const m of ['profile opened', 'onboarding imported', 'sts call', 'access token refreshed', 'onboarding done', 'certificate renewal started', 'certificate renewed']) {
      expect(msgs).toContain(m);
    }
    expect(events.find((e) => e.msg === 'onboarding done')).toMatchObject({ sessionId: s.id, accountId: done.accountId, shell: 'cli' });
    for (const secret of [token, creds.clientSecret, accessToken, creds.keyPem.split('\n')[1]!]) expect(text).not.toContain(secret);
  });

  it('a failed step is logged with its error code (the STS refusing a token spent elsewhere)', async () => {
    const m = createMemoryLogger();
    const c = openCore(profile(), { log: m.log });
    open.push(c);
    const { bytes, token } = await sandboxSheet(c);
    // The token was spent on another computer: this profile never saw it, the bank refuses it.
    const sb = await c.sandbox.get();
    sb.state.db.prepare('UPDATE temp_tokens SET used_ms = ?').run(Date.now());
    const again = c.onboarding.importFile(bytes, 'a.xlsx');
    await expect(c.onboarding.run(again.id, FORM)).rejects.toThrow();
    expect(m.entries().find((e) => e.msg === 'onboarding failed')).toMatchObject({ sessionId: again.id, step: 'failed', err: { type: 'AppError', code: 'TOKEN_REJECTED' } });
    expect(m.entries().find((e) => e.msg === 'sts call refused')).toMatchObject({ stage: 'solicitacao', status: 401 });
    expect(m.lines.join('')).not.toContain(token);
    expect(fs.existsSync(logFileOf(c.opts.profileDir))).toBe(false); // an injected logger replaces the file
  });
});

describe('the CLI logs an unexpected failure with its cause', () => {
  it('writes the stack and cause to the profile log and names the file in its one stderr line', async () => {
    const dir = profile();
    const crash: CliCommand = {
      path: 'test crash',
      summary: 'test only',
      usage: 'pixdesk test crash',
      run() {
        throw new TypeError('cannot read properties of undefined', { cause: new Error('EACCES: permission denied, open /x') });
      },
    };
    commands.push(crash);
    try {
      const err: string[] = [];
      const code = await runCli(['test', 'crash', '--profile', dir], { out: () => undefined, err: (t) => err.push(t) });
      expect(code).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toContain(logFileOf(dir));
      const [entry] = fs.readFileSync(logFileOf(dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entry).toMatchObject({
        level: 50, shell: 'cli', command: 'test crash', msg: 'cli command failed unexpectedly',
        err: { type: 'TypeError', message: 'cannot read properties of undefined', cause: { message: 'EACCES: permission denied, open /x' } },
      });
    } finally {
      commands.splice(commands.indexOf(crash), 1);
    }
  });
});

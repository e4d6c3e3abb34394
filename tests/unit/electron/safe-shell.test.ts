import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EXTERNAL_HOSTS, allowedExternalUrl, openExternalSafely } from '../../../main/electron/safe-shell';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const ALLOWED = [
  ['https://devportal.itau.com.br/', 'https://devportal.itau.com.br/'],
  ['https://devportal.itau.com.br/api/pix?x=1#top', 'https://devportal.itau.com.br/api/pix?x=1#top'],
  ['HTTPS://WWW.BCB.GOV.BR/estabilidadefinanceira/pix', 'https://www.bcb.gov.br/estabilidadefinanceira/pix'],
  ['https://www.bcb.gov.br:443/pix', 'https://www.bcb.gov.br/pix'],
];

const REFUSED = [
  'http://devportal.itau.com.br/',
  'https://evil.example/',
  'https://devportal.itau.com.br.evil.example/',
  'https://evil.example/?https://devportal.itau.com.br/',
  'https://devportal.itau.com.br@evil.example/',
  'https://user:pw@devportal.itau.com.br/',
  'https://devportal.itau.com.br:8443/',
  'https://itau.com.br/',
  'https://bcb.gov.br/',
  'https://sub.www.bcb.gov.br/',
  'https://xn--devportal-itau.com.br/',
  'https://devportal.itau.com.br\\@evil.example/',
  'https:\\\\evil.example',
  'https://devportal.itau.com.br/\nx',
  ' https://devportal.itau.com.br/',
  'file:///etc/passwd',
  'smb://evil.example/share',
  'ms-settings:',
  'javascript:alert(1)',
  'data:text/html,x',
  'app://pixdesk/index.html',
  'mailto:x@evil.example',
  '',
];

describe('safe-shell', () => {
  beforeEach(() => fake.reset());

  it.each(ALLOWED)('opens %s (as %s)', (raw, canonical) => {
    expect(allowedExternalUrl(raw)).toBe(canonical);
    expect(openExternalSafely(raw)).toBe(true);
    expect(fake.opened).toEqual([canonical]);
  });

  it.each(REFUSED)('refuses %j', (raw) => {
    expect(allowedExternalUrl(raw)).toBeNull();
    expect(openExternalSafely(raw)).toBe(false);
    expect(fake.opened).toEqual([]);
  });

  it('refuses non-strings and very long links', () => {
    for (const v of [undefined, null, 1, {}, new URL('https://devportal.itau.com.br/')]) expect(openExternalSafely(v)).toBe(false);
    expect(openExternalSafely(`https://devportal.itau.com.br/${'a'.repeat(3000)}`)).toBe(false);
    expect(fake.opened).toEqual([]);
  });

  it('lists exact host names only (no wildcards)', () => {
    for (const host of EXTERNAL_HOSTS) expect(host).toMatch(/^[a-z0-9.-]+\.[a-z]+$/);
  });
});

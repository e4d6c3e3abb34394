import { expect, test } from './support/host';

// Chromium reports a bad Permissions-Policy (e.g. the unknown feature "bluetooth") as a console error on every
// load; the real browser is the judge of which feature names it recognises.
test('the security headers load without a Chromium complaint', async ({ page, host }) => {
  const complaints: string[] = [];
  page.on('console', (m) => {
    if (/Permissions-Policy|Unrecognized feature|Content Security Policy/i.test(m.text())) complaints.push(m.text());
  });
  const res = await page.goto(host.url);
  expect(res?.headers()['permissions-policy']).toBeTruthy();
  await expect(page.getByTestId('env-banner')).toContainText('SANDBOX');
  expect(complaints).toEqual([]);
});

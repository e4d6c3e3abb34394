import type { Migration } from '..';

/**
 * 0003: where an onboarding's single-use token goes is its own, explicitly confirmed setting
 * (`onboarding:setEndpoints`), no longer part of the form `onboarding:run` receives. Sessions that carried
 * URLs or a CA inside `form_json` keep them, moved to `endpoints_json` and marked as coming from the old form.
 */
export const m0003OnboardingEndpoints: Migration = {
  version: 3,
  name: '0003-onboarding-endpoints',
  up(db) {
    db.exec('ALTER TABLE onboarding_sessions ADD COLUMN endpoints_json TEXT');
    const rows = db.prepare('SELECT id, form_json, updated_at FROM onboarding_sessions WHERE form_json IS NOT NULL').all() as {
      id: string;
      form_json: string;
      updated_at: string;
    }[];
    const save = db.prepare('UPDATE onboarding_sessions SET form_json = ?, endpoints_json = ? WHERE id = ?');
    for (const r of rows) {
      let form: Record<string, unknown>;
      try {
        form = JSON.parse(r.form_json) as Record<string, unknown>;
      } catch {
        continue;
      }
      const { stsUrl, pixUrl, extraCaPem, ...rest } = form;
      const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
      const ep = { stsUrl: str(stsUrl), pixUrl: str(pixUrl), extraCaPem: str(extraCaPem) };
      let host: string | null = null;
      try {
        host = ep.stsUrl ? new URL(ep.stsUrl).host : ep.pixUrl || ep.extraCaPem ? 'sts.itau.com.br' : null;
      } catch {
        host = null;
      }
      const endpoints = host ? JSON.stringify({ ...ep, host, confirmedAt: r.updated_at, confirmedBy: 'migration-0003' }) : null;
      save.run(JSON.stringify(rest), endpoints, r.id);
    }
  },
};

import type { ContractError } from '../main/core/contract';

/**
 * The issues of a failed operation placed by field: `{ company: "Campo obrigatório." }` for the paths under
 * `prefix` ("form" → "form.company"). The first issue of a field wins; issues about the input as a whole, or
 * about fields outside `prefix`, are left out (the caller shows `error.message` for those).
 */
export function issuesAt(error: ContractError | null | undefined, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const head = prefix ? `${prefix}.` : '';
  for (const i of error?.issues ?? []) {
    if (head && !i.path.startsWith(head)) continue;
    const field = i.path.slice(head.length).split('.')[0] ?? '';
    if (field && !(field in out)) out[field] = i.message;
  }
  return out;
}

/** True when every issue of `error` sits on one of `fields` (so the form alone can show the whole error). */
export function placedOn(error: ContractError | null | undefined, fields: readonly string[], prefix = ''): boolean {
  const placed = Object.keys(issuesAt(error, prefix));
  return placed.length > 0 && placed.length === (error?.issues?.length ?? 0) && placed.every((f) => fields.includes(f));
}

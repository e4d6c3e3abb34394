import type { z } from 'zod';
import { ERROR_LIMITS } from './limits';
import type { ContractError, ContractIssue } from './types';

/** Cut `s` to `max` characters, marking the cut with "…". */
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** "form.company", "keys.2": a dotted path of bounded length (hostile keys can be huge or many). */
function pathText(path: readonly PropertyKey[]): string {
  const segs = path.slice(0, ERROR_LIMITS.pathSegments).map((p) => clip(String(typeof p === 'symbol' ? p.description ?? '' : p), ERROR_LIMITS.pathSegment));
  return path.length > ERROR_LIMITS.pathSegments ? `${segs.join('.')}.…` : segs.join('.');
}

/**
 * "campo desconhecido: "x"" / "campos desconhecidos: "a", "b" e mais 299.998". zod's own message lists every
 * key, which is how 300,000 unknown keys once made a 2 MB answer.
 */
function unknownKeysMessage(keys: readonly string[]): string {
  const named = keys.slice(0, ERROR_LIMITS.keysNamed).map((k) => `"${clip(k, ERROR_LIMITS.pathSegment)}"`);
  const rest = keys.length - named.length;
  const list = rest > 0 ? `${named.join(', ')} e mais ${rest.toLocaleString('pt-BR')}` : named.join(', ');
  return keys.length === 1 ? `campo desconhecido: ${list}` : `campos desconhecidos: ${list}`;
}

/**
 * The issues of a zod failure as the contract carries them: `{path, message}` in pt-BR, at most
 * ERROR_LIMITS.issues of them, each message bounded. Never echoes a value (a value may be a secret).
 */
export function toContractIssues(issues: readonly z.core.$ZodIssue[]): ContractIssue[] {
  return issues.slice(0, ERROR_LIMITS.issues).map((i) => ({
    path: pathText(i.path),
    message: clip(i.code === 'unrecognized_keys' ? unknownKeysMessage(i.keys) : i.message, ERROR_LIMITS.message),
  }));
}

/** Issues shown in the one-line summary message (the rest are in `issues`). */
const IN_SUMMARY = 3;

/** The INVALID_INPUT error of a zod failure: a short pt-BR summary plus the capped, placeable issues. */
export function invalidInputError(issues: readonly z.core.$ZodIssue[]): ContractError {
  const list = toContractIssues(issues);
  const parts = list.slice(0, IN_SUMMARY).map((i) => `${i.path ? `"${i.path}"` : 'entrada'}: ${i.message}`);
  const more = issues.length - Math.min(issues.length, IN_SUMMARY);
  const tail = more > 0 ? ` (e mais ${more.toLocaleString('pt-BR')} ${more === 1 ? 'problema' : 'problemas'})` : '';
  return { code: 'INVALID_INPUT', message: clip(`Dados inválidos — ${parts.join('; ')}${tail}.`, ERROR_LIMITS.message * 2), issues: list };
}

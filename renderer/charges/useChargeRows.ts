import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChargeListFilter, ChargeListItem, ChargeSummary } from '../../main/core/contract/types';
import { call } from '../bridge';
import { filterKey, seekOf } from './filter';

/** Rows per page asked of main; the table keeps pages by block number (block b holds rows b·BLOCK … b·BLOCK+BLOCK−1). */
export const BLOCK = 100;

interface Block {
  rows: ChargeListItem[];
  next: string | null;
}

export interface ChargeRows {
  summary: ChargeSummary | null;
  error: string | null;
  /** The row at a position, or undefined while its page is not loaded yet. */
  row(index: number): ChargeListItem | undefined;
  /** Make sure the pages covering [start, end] are loaded or on their way. */
  ensure(start: number, end: number): void;
  /** Forget everything and load again (after a change such as a refund). */
  reload(): void;
  version: number;
}

/**
 * The rows of the filtered list, fetched page by page as the viewport nears them. Scrolling on from a loaded page
 * uses its keyset cursor; a jump (dragging the scrollbar) asks for a position inside one day (`seek`), which main
 * answers without OFFSET over the whole table. Answers for an older filter are dropped.
 */
export function useChargeRows(filter: ChargeListFilter): ChargeRows {
  const key = filterKey(filter);
  const [summary, setSummary] = useState<ChargeSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [generation, setGeneration] = useState(0);
  const blocks = useRef(new Map<number, Block>());
  const loading = useRef(new Set<number>());
  const current = useRef('');
  const seekTimer = useRef<number | null>(null);
  const wanted = useRef<[number, number]>([0, 0]);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  useEffect(() => {
    const tag = `${key}#${generation}`;
    current.current = tag;
    blocks.current = new Map();
    loading.current = new Set();
    // A seek planned for the previous filter must not run with this one.
    if (seekTimer.current) window.clearTimeout(seekTimer.current);
    seekTimer.current = null;
    setSummary(null);
    setError(null);
    void call('charges:summary', { filter: filterRef.current }).then((r) => {
      if (current.current !== tag) return;
      if (r.ok) setSummary(r.value);
      else setError(r.error.message);
    });
  }, [key, generation]);

  const load = useCallback(
    (b: number, summaryNow: ChargeSummary) => {
      if (blocks.current.has(b) || loading.current.has(b)) return;
      const prev = blocks.current.get(b - 1);
      const tag = current.current;
      let input;
      if (b === 0) input = { filter: filterRef.current, limit: BLOCK };
      else if (prev?.next) input = { filter: filterRef.current, cursor: prev.next, limit: BLOCK };
      else {
        const seek = seekOf(summaryNow.days, b * BLOCK);
        if (!seek) return;
        input = { filter: filterRef.current, seek, limit: BLOCK };
      }
      loading.current.add(b);
      void call('charges:query', input).then((r) => {
        if (current.current !== tag) return;
        loading.current.delete(b);
        if (!r.ok) {
          setError(r.error.message);
          return;
        }
        blocks.current.set(b, { rows: r.value.items, next: r.value.nextCursor });
        setVersion((v) => v + 1);
        // The next block can now follow by cursor if it is still wanted.
        const [s, e] = wanted.current;
        if ((b + 1) * BLOCK <= e && (b + 1) * BLOCK >= s - BLOCK) load(b + 1, summaryNow);
      });
    },
    [],
  );

  const ensure = useCallback(
    (start: number, end: number) => {
      const s = summary;
      if (!s || s.count === 0) return;
      wanted.current = [start, end];
      const first = Math.floor(start / BLOCK);
      const last = Math.floor(Math.min(end, s.count - 1) / BLOCK);
      const jump: number[] = [];
      for (let b = first; b <= last; b++) {
        if (blocks.current.has(b) || loading.current.has(b)) continue;
        if (b === 0 || blocks.current.get(b - 1)?.next) load(b, s);
        else if (!loading.current.has(b - 1)) jump.push(b);
      }
      if (jump.length && !seekTimer.current) {
        // Far from any loaded page (a scrollbar drag): ask at most every 60 ms, for where the view is when the timer
        // fires, not for every position passed. A throttle, not a debounce: a debounce reset on every frame left the
        // rows blank for as long as the scrolling went on (bench/charges-scroll.bench.ts caught it).
        seekTimer.current = window.setTimeout(() => {
          seekTimer.current = null;
          const [ws, we] = wanted.current;
          const f = Math.floor(ws / BLOCK);
          const l = Math.floor(Math.min(we, s.count - 1) / BLOCK);
          for (let b = f; b <= l; b++) if (!loading.current.has(b - 1)) load(b, s);
        }, 60);
      }
    },
    [summary, load],
  );

  const row = useCallback((index: number) => blocks.current.get(Math.floor(index / BLOCK))?.rows[index % BLOCK], []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { summary, error, row, ensure, reload, version };
}

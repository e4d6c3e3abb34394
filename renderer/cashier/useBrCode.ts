import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BuiltBrCode } from '../../main/core/contract';
import { call } from '../bridge';
import { fieldOfError } from './fieldErrors';
import { previewBrCode, previewEnabled } from './localPreview';
import type { BuildState, QuickQrInput } from './types';

export interface BrCodeBuilder {
  state: BuildState;
  /** True while an edit has not been turned into a QR yet (debounce running or request in flight). */
  pending: boolean;
  /** The state for the inputs typed so far: runs a waiting build at once and resolves when it is back. */
  flush(): Promise<BuildState>;
  /** The QR of what is typed right now, encoded in the page (localPreview.ts); null when it makes no code. */
  preview: { status: 'ready'; result: BuiltBrCode; input: QuickQrInput } | null;
}

/**
 * Build the static BR Code for `input` as the person types: debounced (`delayMs`), and a response that
 * arrives after a newer edit is dropped, so a slow answer never replaces the QR of what is on screen.
 * With no key there is nothing to build; a missing name or city while the key is fine is also "incomplete"
 * (the screen lists what is left to type instead of showing an error).
 */
export function useBrCode(input: QuickQrInput, delayMs = 150): BrCodeBuilder {
  const [state, setState] = useState<BuildState>({ status: 'incomplete' });
  const [pending, setPending] = useState(false);
  const seq = useRef(0);
  const stateRef = useRef<BuildState>(state);
  const pendingRef = useRef(false);
  const runNow = useRef<(() => void) | null>(null);
  const waiters = useRef<((s: BuildState) => void)[]>([]);

  const settle = useCallback((s: BuildState) => {
    stateRef.current = s;
    pendingRef.current = false;
    setState(s);
    setPending(false);
    const w = waiters.current;
    waiters.current = [];
    for (const resolve of w) resolve(s);
  }, []);

  const { key, name, city, amount, description } = input;
  const [usePreview] = useState(previewEnabled);
  const preview = useMemo(() => {
    if (!usePreview) return null;
    const sent: QuickQrInput = { key, name, city, amount, description };
    const result = previewBrCode(sent);
    return result ? { status: 'ready' as const, result, input: sent } : null;
  }, [usePreview, key, name, city, amount, description]);

  useEffect(() => {
    const id = ++seq.current;
    if (key.trim() === '') {
      runNow.current = null;
      settle({ status: 'incomplete' });
      return;
    }
    const sent: QuickQrInput = { key, name, city, amount, description };
    pendingRef.current = true;
    setPending(true);
    let started = false;
    const run = () => {
      if (started) return;
      started = true;
      runNow.current = null;
      void call('brcode:build', {
        key: key.trim(),
        name,
        city,
        amount,
        description: description.trim() === '' ? null : description,
      }).then((r) => {
        if (id !== seq.current) return; // a newer edit owns the screen
        if (r.ok) return settle({ status: 'ready', result: r.value, input: sent });
        const field = fieldOfError(r.error);
        const blank = (field === 'name' && name.trim() === '') || (field === 'city' && city.trim() === '');
        settle(blank ? { status: 'incomplete' } : { status: 'error', error: r.error, field });
      });
    };
    runNow.current = run;
    const timer = window.setTimeout(run, delayMs);
    return () => window.clearTimeout(timer);
  }, [key, name, city, amount, description, delayMs, settle]);

  const flush = useCallback((): Promise<BuildState> => {
    if (!pendingRef.current) return Promise.resolve(stateRef.current);
    const p = new Promise<BuildState>((resolve) => waiters.current.push(resolve));
    runNow.current?.();
    return p;
  }, []);

  return { state, pending, flush, preview };
}

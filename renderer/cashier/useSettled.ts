import { useCallback, useEffect, useState } from 'react';

/**
 * False while `signature` keeps changing, true `ms` after the last change (or at once with `settleNow`,
 * e.g. when a field loses focus). Used to hold validation messages back while a key is half typed.
 */
export function useSettled(signature: string, ms: number): [boolean, () => void] {
  const [settled, setSettled] = useState(true);
  useEffect(() => {
    setSettled(false);
    const t = window.setTimeout(() => setSettled(true), ms);
    return () => window.clearTimeout(t);
  }, [signature, ms]);
  const settleNow = useCallback(() => setSettled(true), []);
  return [settled, settleNow];
}

import { isEventName, type PixdeskEvent } from '../main/core/contract/events';

/**
 * Live events from the browser host's `GET /events` (Server-Sent Events). EventSource cannot send headers,
 * and the page session travels only as a header, so this reads the stream with fetch() and a body reader,
 * parses the SSE frames itself and reconnects with a growing, jittered delay. No DOM: it runs under Node too.
 */
export interface StreamOptions {
  url: string;
  /** Read before every (re)connection: the session header. */
  headers: () => Record<string, string>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** For diagnostics and tests: 'open' on each connection, 'retrying' before each wait. */
  onState?: (state: 'open' | 'retrying') => void;
}

/** Parse complete SSE frames out of `buffer`; returns the events and what is left for the next chunk. */
export function parseFrames(buffer: string): { events: PixdeskEvent[]; rest: string } {
  const events: PixdeskEvent[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue; // comments are the heartbeat
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (!isEventName(name) || data.length === 0) continue;
    try {
      events.push({ name, payload: JSON.parse(data.join('\n')) } as PixdeskEvent);
    } catch {
      // A frame that is not JSON is not one of ours: skip it, keep the stream.
    }
  }
  return { events, rest };
}

/** Subscribe to the host's events until the returned function is called. */
export function subscribeStream(opts: StreamOptions, listener: (e: PixdeskEvent) => void): () => void {
  const min = opts.minDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  let stopped = false;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  async function once(): Promise<boolean> {
    controller = new AbortController();
    const res = await opts.fetch(opts.url, {
      headers: { Accept: 'text/event-stream', ...opts.headers() },
      signal: controller.signal,
      credentials: 'omit',
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      return false;
    }
    opts.onState?.('open');
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      const parsed = parseFrames(buffer + decoder.decode(value, { stream: true }));
      buffer = parsed.rest;
      for (const e of parsed.events) {
        try {
          listener(e);
        } catch {
          // A screen's handler failing must not drop the stream for the others.
        }
      }
    }
  }

  void (async () => {
    let delay = min;
    while (!stopped) {
      let connected = false;
      try {
        connected = await once();
      } catch {
        connected = false;
      }
      if (stopped) break;
      // A stream that opened and later ended (host restarted, idle proxy) starts again quickly.
      delay = connected ? min : Math.min(max, delay * 2);
      opts.onState?.('retrying');
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  })();

  return () => {
    stopped = true;
    controller?.abort();
    wake?.();
  };
}

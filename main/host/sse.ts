import type http from 'node:http';
import type { PixdeskEvent } from '../core/contract/events';
import { SECURITY_HEADERS } from './guards';

/** Where the host's events come from (the Core's EventBus has this shape). */
export interface EventFeed {
  subscribe(listener: (event: PixdeskEvent) => void): () => void;
}

export interface StreamOptions {
  /** Most streams open at once (each open tab holds one); beyond it the answer is 429. */
  maxStreams?: number;
  /** A comment line this often keeps proxies and the page's reader from idling out. */
  heartbeatMs?: number;
}

/**
 * `GET /events`: the contract's events as Server-Sent Events. The session, Host and Origin checks happen
 * before this is reached, exactly as for /rpc. Each stream subscribes to the feed and unsubscribes when the
 * socket closes; a slow reader that cannot keep up is dropped rather than buffered without bound.
 */
export class EventStreams {
  private readonly open = new Set<http.ServerResponse>();
  private readonly max: number;
  private readonly heartbeatMs: number;

  constructor(private readonly feed: EventFeed, opts: StreamOptions = {}) {
    this.max = opts.maxStreams ?? 8;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * Serve one stream; false (and a 429 sent) when the cap is reached. `allow` is asked for every event at the time
   * it is sent (who is logged in on the page may change while the stream is open).
   */
  serve(req: http.IncomingMessage, res: http.ServerResponse, allow: (e: PixdeskEvent) => boolean = () => true): boolean {
    if (this.open.size >= this.max) {
      const body = JSON.stringify({ ok: false, error: { code: 'TOO_MANY_STREAMS', message: 'Há abas demais abertas recebendo eventos. Feche algumas abas do PixDesk.' } });
      res.writeHead(429, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '30' });
      res.end(body);
      return false;
    }
    this.open.add(res);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    res.write(': pixdesk\nretry: 3000\n\n');
    const write = (chunk: string) => {
      // write() returning false means the reader is behind; past 1 MiB queued it is not reading at all.
      if (!res.write(chunk) && res.writableLength > 1024 * 1024) res.destroy();
    };
    const unsubscribe = this.feed.subscribe((e) => {
      if (allow(e)) write(`event: ${e.name}\ndata: ${JSON.stringify(e.payload)}\n\n`);
    });
    const beat = setInterval(() => write(': heartbeat\n\n'), this.heartbeatMs);
    beat.unref();
    const done = () => {
      clearInterval(beat);
      unsubscribe();
      this.open.delete(res);
    };
    res.once('close', done);
    return true;
  }

  /** End every stream (host shutting down). */
  closeAll(): void {
    for (const res of [...this.open]) res.end();
  }
}

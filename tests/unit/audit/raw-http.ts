import net from 'node:net';

/**
 * Send raw bytes over TCP to a local server and collect whatever comes back until it closes or `waitMs` pass (then
 * the socket is destroyed). `end: true` half-closes after writing, as a client that has said everything it will.
 * Shared by the malformed-HTTP fuzz of the browser host (fuzz-host) and of the local API (api/fuzz-http).
 */
export function rawHttp(port: number, bytes: Buffer, o: { waitMs?: number; end?: boolean } = {}): Promise<{ text: string; closedByServer: boolean; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    let settled = false;
    const done = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(t);
      sock.destroy();
      resolve({ text: out, closedByServer, ms: Date.now() - t0 });
    };
    const t = setTimeout(() => done(false), o.waitMs ?? 1500);
    sock.on('data', (d: Buffer) => (out += d.toString('latin1')));
    sock.on('error', () => undefined);
    sock.on('close', () => done(true));
    if (o.end ?? true) sock.end(bytes);
    else sock.write(bytes);
  });
}

import { net, protocol } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP } from '../core/security/csp';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './origin';

export { APP_ORIGIN, APP_SCHEME } from './origin';

/** Must run before `app` is ready: our scheme is standard and secure (so origin checks work). */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Characters no file of the built renderer has in its name (controls, backslash, ":"); one means a crafted request. */
function forbiddenInPath(rel: string): boolean {
  for (let i = 0; i < rel.length; i++) {
    const c = rel.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c || c === 0x3a) return true;
  }
  return false;
}

/**
 * The file of the renderer folder a request names, or null when it names anything else: another host,
 * credentials or a port, a malformed escape, a `..` segment (plain or as %2e%2e), an encoded slash or
 * backslash, a null byte, a drive letter. Pure, so traversal attempts are tested without Electron.
 */
export function resolveRendererFile(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') return null;
  // An encoded "/" would let one segment climb after decoding; the renderer's files never need one.
  if (/%2f|%5c|%00/i.test(url.pathname)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return null;
  }
  if (forbiddenInPath(rel)) return null;
  const segments = rel.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s === '..' || s === '.')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  return file.startsWith(base + path.sep) ? file : null;
}

function notFound(): Response {
  return new Response('Não encontrado', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** A regular file whose real path (symlinks resolved) is still inside the renderer folder. */
function isServableFile(rootReal: string, file: string): boolean {
  try {
    const real = fs.realpathSync(file);
    return real.startsWith(rootReal + path.sep) && fs.statSync(real).isFile();
  } catch {
    return false;
  }
}

/**
 * Serve the built renderer from `app://pixdesk/…` instead of file:// — a real origin for navigation
 * checks and a place to attach the CSP header. Only GET/HEAD of regular files inside `rendererDir`;
 * everything else is a 404 (or 405), never a directory listing or a file elsewhere on disk.
 */
export function serveRenderer(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = resolveRendererFile(root, request.url);
    let rootReal: string;
    try {
      rootReal = fs.realpathSync(root);
    } catch {
      return notFound();
    }
    if (file === null || !isServableFile(rootReal, file)) return notFound();
    let upstream: Response;
    try {
      upstream = await net.fetch(pathToFileURL(file).toString());
    } catch {
      return notFound();
    }
    const headers = new Headers(upstream.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(upstream.body, { status: upstream.status, headers });
  });
}

/** The URL a window loads for a hash route such as "#/caixa". */
export function appPageUrl(route = ''): string {
  return `${APP_ORIGIN}/index.html${route}`;
}

/**
 * The Content-Security-Policy of every page of the app, in one dependency-free place: the Electron shell
 * (app:// protocol) and the browser host both send it, so the renderer runs under the same rules in both.
 * No inline script or style, no eval, no remote anything; images may be data:/blob: (QR codes).
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

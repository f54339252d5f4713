// The headers every page of ours is served with, by the Electron app:// protocol
// and by the browser preview alike: one policy, written once.

/**
 * Only our own bundled code may run, load or connect; no plugins, no <base>
 * rewriting, no form posts anywhere, and no framing by anyone.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** Headers for a static file; index.html is never cached so a rebuilt app is picked up at once. */
export function staticFileHeaders(contentType: string, isIndexHtml: boolean): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': isIndexHtml ? 'no-store' : 'no-cache'
  }
}

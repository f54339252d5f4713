// Serves the built renderer on app://twofa-admin/ for protocol.handle. Pure: it
// takes a fetch-style Request and returns a Response, so it runs in tests.
import { readFile } from 'node:fs/promises'
import { CONTENT_SECURITY_POLICY, staticFileHeaders } from '../web/security-headers'
import { resolveStaticFile } from '../web/static-files'
import { APP_HOST, APP_SCHEME } from './app-origin'

/**
 * Privileges for protocol.registerSchemesAsPrivileged: a standard, secure origin.
 * corsEnabled lets Chromium apply CORS to the scheme instead of refusing CORS-mode
 * loads outright (Vite emits <script type="module" crossorigin>, as VS Code's
 * vscode-file scheme needs the same); we send no Access-Control-Allow-Origin, so
 * no other origin can read our responses. Never bypassCSP.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true }
} as const

function refusal(status: number): Response {
  return new Response(null, {
    status,
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' }
  })
}

export function createAppProtocolHandler(
  rendererDir: string,
  read: (path: string) => Promise<Buffer> = readFile
): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return refusal(400)
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refusal(404)
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405)
    const file = await resolveStaticFile(rendererDir, url.pathname)
    if (!file) return refusal(404)
    let body: Buffer
    try {
      body = await read(file.path)
    } catch {
      return refusal(404)
    }
    const headers = staticFileHeaders(file.contentType, file.isIndexHtml)
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
  }
}

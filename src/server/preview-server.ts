// The browser preview: the real core behind an HTTP bridge on 127.0.0.1, serving
// the same renderer. Only a page that is on our own origin and holds the token
// printed at start can call the API, so no other web page, and no other local
// user without the token, can act on the directory.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isApiMethod, type ApiMethod } from '../shared/contract'
import { MAX_IMPORT_BYTES } from '../shared/contract/user-import'
import { API_PATH_PREFIX, DOWNLOAD_PATH_PREFIX, httpPath, SESSION_COOKIE, TOKEN_HEADER } from '../shared/transport'
import type { ErrorCode, Result } from '../shared/errors'
import { sessionCaller, type SessionHolder } from '../main/core/caller'
import type { Dispatch } from '../main/core/dispatch'
import { CONTENT_SECURITY_POLICY, staticFileHeaders } from '../main/web/security-headers'
import { resolveStaticFile } from '../main/web/static-files'
import { serveDownload } from './download-route'
import type { ExportDownloads } from './export-downloads'

export const MAX_BODY_BYTES = 64 * 1024
/** An import carries its file: up to MAX_IMPORT_BYTES characters, which JSON may spell in up to 6 bytes each ("\u0001"). */
export const MAX_IMPORT_BODY_BYTES = 6 * MAX_IMPORT_BYTES + 1024
/** More browser tabs than anyone opens; beyond it the oldest sign-in is forgotten. */
const MAX_CLIENTS = 1000

export interface PreviewServerOptions {
  core: { dispatch: Dispatch }
  rendererDir: string
  /** 0 or absent: a free port chosen by the system. */
  port?: number
  /** The screens' exports waiting for their download (the same object the core writes them through). */
  downloads?: Pick<ExportDownloads, 'ready' | 'take' | 'discard'>
}

export interface PreviewServer {
  /** The address to open, with the token in the fragment (never sent to the server). */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store'
} as const

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extraHeaders: Record<string, string> = {}
  ) {
    super(message)
  }
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...extraHeaders
  })
  res.end(text)
}

function sendPlain(res: ServerResponse, status: number, text: string, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extraHeaders })
  res.end(text)
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/** Constant-time comparison; hashing first makes the lengths equal without revealing them. */
function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false
  return timingSafeEqual(digest(given), digest(token))
}

/** Every value the browser sent for the cookie `name` (another page on this host may have planted more than one). */
function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return []
  const values: string[] = []
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index > 0 && part.slice(0, index).trim() === name) values.push(part.slice(index + 1).trim())
  }
  return values
}

/** The sign-in steps: each success gets a new cookie, so a cookie from before (planted, or fixed) is never a signed-in session. */
const SIGN_IN_STEPS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['setupFirstAdmin', 'login', 'verifyCode', 'verifyRecoveryCode', 'confirmEnrollment'])

function tooLarge(): Refusal {
  // Connection: close makes Node end the socket after the answer instead of reading the rest.
  return new Refusal(413, 'VALIDATION', 'The request is too large.', { Connection: 'close' })
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      reject(tooLarge())
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        req.resume()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
}

export function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = randomBytes(32).toString('base64url')
  const clients = new Map<string, SessionHolder>()
  let allowedHosts: string[] = []
  let allowedOrigins: string[] = []

  // Cookies are not kept apart by port: any page on 127.0.0.1 can set one for us. The name carries
  // a digest of this run's token, which another page cannot know, so it can neither plant nor shadow ours.
  const cookieName = `${SESSION_COOKIE}_${digest(token).subarray(0, 8).toString('hex')}`

  /** The browser's client id and session holder, if it holds one of ours. */
  function knownClient(req: IncomingMessage): { id: string; holder: SessionHolder } | null {
    for (const id of cookieValues(req.headers.cookie, cookieName)) {
      const holder = clients.get(id)
      if (holder) return { id, holder }
    }
    return null
  }

  /** Gives the holder a new client id and the browser its cookie; the old id (if any) is forgotten. */
  function issueCookie(res: ServerResponse, holder: SessionHolder, previous: string | null): void {
    if (previous !== null) clients.delete(previous)
    if (clients.size >= MAX_CLIENTS) {
      const oldest = clients.keys().next().value
      if (oldest !== undefined) clients.delete(oldest)
    }
    const id = randomBytes(32).toString('base64url')
    clients.set(id, holder)
    res.setHeader('Set-Cookie', `${cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`)
  }

  function clearCookie(res: ServerResponse, previous: string | null): void {
    if (previous !== null) clients.delete(previous)
    res.setHeader('Set-Cookie', `${cookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`)
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'POST') throw new Refusal(405, 'TRANSPORT', 'Use POST for API calls.', { Allow: 'POST' })
    const name = pathname.slice(API_PATH_PREFIX.length)
    if (!isApiMethod(name) || httpPath(name) !== pathname) throw new Refusal(404, 'NOT_FOUND', 'There is no such API method.')
    const method: ApiMethod = name
    // The Host check defeats DNS rebinding: a foreign name resolved to 127.0.0.1 arrives with its own Host.
    if (!allowedHosts.includes(req.headers.host ?? '')) throw new Refusal(403, 'FORBIDDEN', 'Requests must be addressed to the preview itself.')
    const origin = req.headers.origin
    if (origin === undefined || !allowedOrigins.includes(origin)) {
      throw new Refusal(403, 'FORBIDDEN', 'Only the preview page itself may call the API.')
    }
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
      throw new Refusal(401, 'TRANSPORT', 'This page has no valid access token. Open the address the preview printed in its terminal when it started (it includes the token).')
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
    if (contentType !== 'application/json') throw new Refusal(415, 'VALIDATION', 'Send the request as application/json.')
    const body = await readBody(req, method === 'importUsers' ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES)
    let payload: unknown
    try {
      payload = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))
    } catch {
      throw new Refusal(400, 'VALIDATION', 'The request body is not valid JSON.')
    }
    // A browser without a cookie of ours gets a fresh holder, kept only once a sign-in step succeeds.
    const known = knownClient(req)
    const holder: SessionHolder = known?.holder ?? { sessionId: null }
    const result = await options.core.dispatch(method, sessionCaller(holder), payload)
    if (result.ok && SIGN_IN_STEPS.has(method)) issueCookie(res, holder, known?.id ?? null)
    else if (result.ok && method === 'logout') clearCookie(res, known?.id ?? null)
    sendJson(res, 200, result)
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendPlain(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' })
      return
    }
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      sendPlain(res, 403, 'Forbidden.')
      return
    }
    const file = await resolveStaticFile(options.rendererDir, pathname)
    if (!file) {
      sendPlain(res, 404, 'Not found.')
      return
    }
    const content = await readFile(file.path)
    res.writeHead(200, { ...staticFileHeaders(file.contentType, file.isIndexHtml), 'Content-Length': content.length })
    res.end(req.method === 'HEAD' ? undefined : content)
  }

  const server = createServer((req, res) => {
    const rawUrl = req.url ?? '/'
    let pathname: string
    try {
      pathname = new URL(rawUrl, 'http://127.0.0.1').pathname
    } catch {
      sendPlain(res, 400, 'Bad request.')
      return
    }
    const isApi = pathname.startsWith(API_PATH_PREFIX)
    const handled = isApi
      ? handleApi(req, res, pathname)
      : pathname.startsWith(DOWNLOAD_PATH_PREFIX)
        ? serveDownload(req, res, pathname, {
            downloads: options.downloads,
            dispatch: options.core.dispatch,
            hostAllowed: (host) => allowedHosts.includes(host ?? ''),
            holderOf: (request) => knownClient(request)?.holder ?? null,
            baseHeaders: BASE_HEADERS,
            sendPlain
          })
        : handleStatic(req, res, pathname)
    handled.catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (error instanceof Refusal) {
        sendJson(res, error.status, { ok: false, error: { code: error.code, message: error.message } }, error.extraHeaders)
        return
      }
      // Nothing about the request is logged: it may hold passwords and codes.
      if (isApi) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'The preview failed to answer. Try again.' } })
      else sendPlain(res, 500, 'Internal error.')
    })
  })
  // Request bodies are tiny; a slow or stalled client must not hold a socket forever.
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      const port = (server.address() as AddressInfo).port
      allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`]
      allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
      resolve({
        url: `http://127.0.0.1:${port}/#token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            // Keep-alive connections would otherwise hold close() open.
            server.closeAllConnections()
          })
      })
    })
  })
}

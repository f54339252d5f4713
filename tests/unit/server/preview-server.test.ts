// The browser preview's HTTP bridge: only our own page, holding the token, may
// call the core; each browser keeps its session through an HttpOnly cookie.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Caller, SessionHolder } from '../../../src/main/core/caller'
import type { Dispatch } from '../../../src/main/core/dispatch'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/web/security-headers'
import { MAX_BODY_BYTES, startPreviewServer, type PreviewServer } from '../../../src/server/preview-server'
import { FAST_KDF, PASSWORD } from '../helpers/harness'
import { openCore } from '../../../src/main/core/open-core'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: () => unknown
}

/** Fails instead of hanging when `promise` does not settle within `ms`. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) })
      })
    })
    // A refused upload may be cut off mid-way; the answer has arrived by then.
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

let dir: string
let rendererDir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twofa-preview-'))
  rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>2FA Admin</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}')
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('preview server with a fake core', () => {
  let server: PreviewServer
  const calls: Array<{ method: string; caller: Caller; payload: unknown }> = []
  const dispatch = vi.fn(async (method: string, caller: Caller, payload: unknown) => {
    calls.push({ method, caller, payload })
    if (method === 'login' && caller.kind === 'session') caller.holder.sessionId = 'signed-in'
    return { ok: true, value: caller.kind === 'session' ? caller.holder.sessionId : null }
  }) as unknown as Dispatch

  beforeAll(async () => {
    server = await startPreviewServer({ core: { dispatch }, rendererDir })
  })
  afterAll(() => server.close())
  afterEach(() => {
    calls.length = 0
  })

  const origin = () => `http://127.0.0.1:${server.port}`
  const goodHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
    Host: `127.0.0.1:${server.port}`,
    Origin: origin(),
    'X-TwoFA-Token': server.token,
    'Content-Type': 'application/json',
    ...extra
  })
  const api = (method: string, body: unknown = {}, headers: Record<string, string> = goodHeaders()) =>
    send(server.port, { method: 'POST', path: `/api/${method}`, headers, body: JSON.stringify(body) })

  it('listens on 127.0.0.1 with a random port and prints the token only in the fragment', () => {
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32)
  })

  it('passes a valid call to the core and answers with its Result', async () => {
    const reply = await api('login', { email: 'a@example.com', password: 'pw' })
    expect(reply.status).toBe(200)
    expect(reply.json()).toEqual({ ok: true, value: 'signed-in' })
    expect(calls[0]).toMatchObject({ method: 'login', payload: { email: 'a@example.com', password: 'pw' } })
    expect(reply.headers['cache-control']).toBe('no-store')
  })

  it('keeps the session holder across calls through an HttpOnly, SameSite=Strict cookie', async () => {
    const first = await api('login', { email: 'a@example.com', password: 'pw' })
    const setCookie = String(first.headers['set-cookie'])
    expect(setCookie).toMatch(/^twofa_session_[0-9a-f]{16}=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/)
    const cookie = setCookie.split(';')[0] as string
    const second = await api('getMyAccount', {}, goodHeaders({ Cookie: cookie }))
    expect(second.json()).toEqual({ ok: true, value: 'signed-in' })
    expect(second.headers['set-cookie']).toBeUndefined()
    const holders = calls.map((call) => (call.caller as { holder: SessionHolder }).holder)
    expect(holders[1]).toBe(holders[0])
    // Another browser (no cookie, or an unknown one) gets a fresh, signed-out holder.
    expect((await api('getMyAccount')).json()).toEqual({ ok: true, value: null })
    expect((await api('getMyAccount', {}, goodHeaders({ Cookie: 'twofa_session=forged' }))).json()).toEqual({ ok: true, value: null })
  })

  it('refuses a missing or wrong token with 401', async () => {
    const { 'X-TwoFA-Token': _token, ...withoutToken } = goodHeaders()
    for (const headers of [withoutToken, goodHeaders({ 'X-TwoFA-Token': 'wrong' }), goodHeaders({ 'X-TwoFA-Token': server.token.slice(1) })]) {
      const reply = await api('getAppState', {}, headers)
      expect(reply.status).toBe(401)
      expect(reply.json()).toMatchObject({ ok: false, error: { code: 'TRANSPORT' } })
    }
    expect(calls).toHaveLength(0)
  })

  it('refuses a foreign or missing Origin with 403, even with the token', async () => {
    const { Origin: _origin, ...withoutOrigin } = goodHeaders()
    for (const headers of [
      goodHeaders({ Origin: 'https://evil.example' }),
      goodHeaders({ Origin: `http://127.0.0.1:${server.port + 1}` }),
      goodHeaders({ Origin: 'null' }),
      withoutOrigin
    ]) {
      const reply = await api('getAppState', {}, headers)
      expect(reply.status).toBe(403)
      expect(reply.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(calls).toHaveLength(0)
  })

  it('accepts localhost as well as 127.0.0.1 for Host and Origin', async () => {
    const reply = await api('getAppState', {}, goodHeaders({ Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` }))
    expect(reply.status).toBe(200)
  })

  it('refuses a foreign Host with 403 (DNS rebinding)', async () => {
    for (const host of [`evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`]) {
      const reply = await api('getAppState', {}, goodHeaders({ Host: host }))
      expect(reply.status, host).toBe(403)
    }
    expect((await send(server.port, { path: '/', headers: { Host: `evil.example:${server.port}` } })).status).toBe(403)
    expect(calls).toHaveLength(0)
  })

  it('refuses a body over 64 KiB with 413', async () => {
    const big = JSON.stringify({ email: 'a'.repeat(MAX_BODY_BYTES), password: 'x' })
    const reply = await send(server.port, { method: 'POST', path: '/api/login', headers: goodHeaders(), body: big })
    expect(reply.status).toBe(413)
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    // Also when the client does not declare the length up front.
    const chunked = await send(server.port, { method: 'POST', path: '/api/login', headers: goodHeaders({ 'Transfer-Encoding': 'chunked' }), body: big })
    expect(chunked.status).toBe(413)
    expect(calls).toHaveLength(0)
  })

  it('answers GET on the API with 405 and an unknown method with 404', async () => {
    const get = await send(server.port, { path: '/api/getAppState', headers: goodHeaders() })
    expect(get.status).toBe(405)
    expect(get.headers.allow).toBe('POST')
    expect(get.json()).toMatchObject({ ok: false })
    for (const name of ['dropDatabase', 'constructor', '__proto__', 'getAppState/extra', '']) {
      const reply = await api(name)
      expect(reply.status, name).toBe(404)
      expect(reply.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    }
    expect(calls).toHaveLength(0)
  })

  it('wants application/json and valid JSON', async () => {
    const form = await send(server.port, { method: 'POST', path: '/api/getAppState', headers: goodHeaders({ 'Content-Type': 'text/plain' }), body: '{}' })
    expect(form.status).toBe(415)
    const broken = await send(server.port, { method: 'POST', path: '/api/getAppState', headers: goodHeaders(), body: '{"oops' })
    expect(broken.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(calls).toHaveLength(0)
  })

  it('serves the renderer with the CSP and security headers', async () => {
    const index = await send(server.port, { path: '/', headers: { Host: `127.0.0.1:${server.port}` } })
    expect(index.status).toBe(200)
    expect(index.text).toContain('2FA Admin')
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect(index.headers['referrer-policy']).toBe('no-referrer')
    expect(index.headers['cache-control']).toBe('no-store')
    const script = await send(server.port, { path: '/assets/app.js', headers: { Host: `localhost:${server.port}` } })
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await send(server.port, { path: '/assets/app.css', headers: { Host: `127.0.0.1:${server.port}` } })).headers['content-type']).toBe(
      'text/css; charset=utf-8'
    )
  })

  it('refuses static paths that leave the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/assets', '//etc/passwd']) {
      const reply = await send(server.port, { path, headers: { Host: `127.0.0.1:${server.port}` } })
      expect(reply.status, path).toBeGreaterThanOrEqual(400)
      expect(reply.text, path).not.toContain('TOP SECRET')
      expect(reply.text, path).not.toContain('root:')
    }
  })

  it('closes promptly while a kept-alive connection waits for the core, and closes that socket', async () => {
    // A call the core has not answered yet keeps its connection busy: server.close() alone
    // waits for it (up to requestTimeout), and the browser's keep-alive socket stays open.
    let answer: () => void = () => undefined
    let started: () => void = () => undefined
    const callStarted = new Promise<void>((resolve) => (started = resolve))
    const slowDispatch = vi.fn(() => {
      started()
      return new Promise((resolve) => (answer = () => resolve({ ok: true, value: null })))
    }) as unknown as Dispatch
    const other = await startPreviewServer({ core: { dispatch: slowDispatch }, rendererDir })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const host = `127.0.0.1:${other.port}`
    try {
      // One request answered; the agent keeps the socket for the next one.
      const socket = await within(
        2000,
        new Promise<Socket>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: other.port, path: '/', agent, headers: { Host: host } }, (res) => {
            res.resume()
            res.on('end', () => resolve(req.socket as Socket))
          })
          req.on('error', reject)
          req.end()
        }),
        'the first answer'
      )
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()))

      const pending = request({
        host: '127.0.0.1',
        port: other.port,
        method: 'POST',
        path: '/api/getAppState',
        agent,
        headers: { Host: host, Origin: `http://${host}`, 'X-TwoFA-Token': other.token, 'Content-Type': 'application/json' }
      })
      const outcome = new Promise<string>((resolve) => {
        pending.on('response', (res) => resolve(`answered ${res.statusCode}`))
        pending.on('error', () => resolve('cut off'))
      })
      pending.end('{}')
      await within(2000, callStarted, 'the second call reaching the core')
      expect(pending.reusedSocket).toBe(true)
      expect(pending.socket).toBe(socket)

      await within(2000, other.close(), 'close() resolving')
      await within(2000, socketClosed, 'the kept-alive socket closing')
      expect(await outcome).toBe('cut off')
      await expect(send(other.port, { path: '/' })).rejects.toThrow()
    } finally {
      // Lets a server that did not close on its own finish, so a failure here does not leak.
      answer()
      agent.destroy()
      await other.close().catch(() => undefined)
    }
  })
})

describe('preview server with the real core', () => {
  it('signs in through the bridge and keeps the session for that browser only', async () => {
    const dbPath = join(dir, 'real.db')
    const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: FAST_KDF })
    const server = await startPreviewServer({ core, rendererDir })
    try {
      const headers = {
        Host: `127.0.0.1:${server.port}`,
        Origin: `http://127.0.0.1:${server.port}`,
        'X-TwoFA-Token': server.token,
        'Content-Type': 'application/json'
      }
      const call = (method: string, body: unknown, extra: Record<string, string> = {}) =>
        send(server.port, { method: 'POST', path: `/api/${method}`, headers: { ...headers, ...extra }, body: JSON.stringify(body) })

      const setup = await call('setupFirstAdmin', { name: 'Ada Admin', email: 'ada@example.com', password: PASSWORD })
      expect(setup.json()).toMatchObject({ ok: true })
      const cookie = String(setup.headers['set-cookie']).split(';')[0] as string

      const mine = (await call('getAppState', {}, { Cookie: cookie })).json() as { ok: true; value: { needsSetup: boolean; session: unknown } }
      expect(mine.value.needsSetup).toBe(false)
      expect(mine.value.session).not.toBeNull()
      const stranger = (await call('getAppState', {})).json() as { ok: true; value: { session: unknown } }
      expect(stranger.value.session).toBeNull()

      // The core's own validation answers bad payloads.
      expect((await call('getUser', { userId: 'one' }, { Cookie: cookie })).json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    } finally {
      await server.close()
      core.close()
    }
  })
})

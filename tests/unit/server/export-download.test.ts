// The browser preview's exports: the core writes each into the preview's own
// folder, and GET /downloads/<id> hands it, once, to the browser tab whose
// signed-in administrator made it (its session cookie; the core's getExport
// decides), then deletes it. Nobody else gets it: not another tab, not another
// site, not a signed-out one.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportJob } from '../../../src/shared/contract'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { ExportDownloads } from '../../../src/server/export-downloads'
import { startPreviewServer, type PreviewServer } from '../../../src/server/preview-server'
import { BridgeTab } from '../helpers/bridge'
import { PASSWORD, secretFromUri, TestEnv } from '../helpers/harness'

let env: TestEnv
let downloads: ExportDownloads
let server: PreviewServer

async function start(waitMs?: number): Promise<void> {
  env = new TestEnv({ exportDestination: (request) => downloads.destination(request) })
  downloads = new ExportDownloads({ parentDir: env.dir, waitMs })
  server = await startPreviewServer({ core: env.core, rendererDir: env.dir, downloads })
}
afterEach(async () => {
  await server.close()
  downloads.close()
  env.dispose()
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A GET as the browser makes it when the page follows a link: the tab's cookies, our Host, same-origin. */
function get(tab: BridgeTab | null, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const cookie = tab === null ? '' : [...tab.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  const all: Record<string, string> = { Host: `127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin', ...(cookie ? { Cookie: cookie } : {}), ...headers }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: all }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function until(condition: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

async function ok<T>(tab: BridgeTab, method: Parameters<BridgeTab['post']>[0], payload: unknown = {}): Promise<T> {
  const reply = await tab.post(method, payload)
  if (!reply.body.ok) throw new Error(`${method}: ${reply.body.error.code} ${reply.body.error.message}`)
  return reply.body.value as T
}

/** Signs an administrator in on a tab of their own, with 2FA, over the bridge. */
async function signInAdmin(tab: BridgeTab, email: string, first: boolean): Promise<void> {
  if (first) await ok(tab, 'setupFirstAdmin', { name: 'Ada Admin', email, password: PASSWORD })
  else await ok(tab, 'login', { email, password: PASSWORD })
  const { otpauthUri } = await ok<{ otpauthUri: string }>(tab, 'startEnrollment')
  await ok(tab, 'confirmEnrollment', { code: codeAt(secretFromUri(otpauthUri), env.clock.now()) })
  env.clock.advance(30_000)
}

async function exportUsers(tab: BridgeTab): Promise<ExportJob> {
  let job = await ok<ExportJob>(tab, 'exportUsers', { format: 'csv' })
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20))
    job = await ok<ExportJob>(tab, 'getExport', { exportId: job.exportId })
  }
  return job
}

describe('the preview hands an export to the tab that made it', () => {
  beforeEach(() => start())

  it('once, as an attachment, and then deletes it', async () => {
    const tab = new BridgeTab(server)
    await signInAdmin(tab, 'admin@example.com', true)
    const job = await exportUsers(tab)
    expect(job).toMatchObject({ state: 'done', done: 1, file: '2FA Admin users 2026-11-27.csv', download: `/downloads/${job.exportId}` })
    // Waiting for its download: owner-only, in a folder of the preview's own.
    const [folder] = readdirSync(env.dir).filter((name) => name.startsWith('twofa-preview-exports-'))
    const waiting = readdirSync(`${env.dir}/${folder}`)
    expect(waiting).toEqual([`${job.exportId}.csv`])
    expect(statSync(`${env.dir}/${folder}`).mode & 0o777).toBe(0o700)
    expect(statSync(`${env.dir}/${folder}/${waiting[0]}`).mode & 0o777).toBe(0o600)

    const reply = await get(tab, job.download as string)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="2FA Admin users 2026-11-27.csv"; filename*=UTF-8''2FA%20Admin%20users%202026-11-27.csv`)
    expect(reply.headers['cache-control']).toBe('no-store')
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(reply.body).toMatch(/^email,name,role,status,enforcement,enforced_by,active_since,last_2fa_login,locked,disabled,source,deadline,groups\r\nadmin@example.com,Ada Admin,admin,active,/)
    // Deleted once sent (the answer may reach us a moment before the server has finished with it).
    await until(() => readdirSync(`${env.dir}/${folder}`).length === 0)
    expect((await get(tab, job.download as string)).status).toBe(404)
    // The export is in the log, with the name the browser saved it under.
    const audit = await ok<{ entries: { details: unknown }[] }>(tab, 'listAudit', { action: 'users.exported' })
    expect(audit.entries[0]?.details).toEqual({ format: 'csv', rows: 1, file: '2FA Admin users 2026-11-27.csv' })
  })

  it('to nobody else: not another tab, not another administrator, not another site, not after sign-out', async () => {
    const tab = new BridgeTab(server)
    await signInAdmin(tab, 'admin@example.com', true)
    await env.cli('createUser', { name: 'Priya Patel', email: 'priya@example.com', role: 'admin', password: PASSWORD })
    const job = await exportUsers(tab)
    const path = job.download as string

    expect((await get(null, path)).status).toBe(403)
    const otherAdmin = new BridgeTab(server)
    await signInAdmin(otherAdmin, 'priya@example.com', false)
    expect(await get(otherAdmin, path)).toMatchObject({ status: 404, body: expect.stringMatching(/no such export/) })
    expect((await get(tab, path, { Host: 'evil.example:80' })).status).toBe(403)
    expect((await get(tab, path, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403)
    expect((await get(tab, path, {}, 'POST')).status).toBe(405)
    expect((await get(tab, '/downloads/../../etc/passwd')).status).toBe(404)
    expect((await get(tab, `/downloads/${'A'.repeat(32)}`)).status).toBe(404)

    // None of that used it up; signing out does: the old cookie is worth nothing.
    const cookies = new Map(tab.cookies)
    await ok(tab, 'logout')
    const stale = new BridgeTab(server)
    for (const [name, value] of cookies) stale.cookies.set(name, value)
    expect((await get(stale, path)).status).toBe(403)
  })
})

describe('an export nobody downloads', () => {
  beforeEach(() => start(50))

  it('is deleted after a while, and the folder when the preview stops', async () => {
    const tab = new BridgeTab(server)
    await signInAdmin(tab, 'admin@example.com', true)
    const job = await exportUsers(tab)
    const [folder] = readdirSync(env.dir).filter((name) => name.startsWith('twofa-preview-exports-'))
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(readdirSync(`${env.dir}/${folder}`)).toEqual([])
    expect((await get(tab, job.download as string)).status).toBe(404)
    downloads.close()
    expect(existsSync(`${env.dir}/${folder}`)).toBe(false)
  })
})

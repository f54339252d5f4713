// countUsers through the browser preview's HTTP bridge: a tab's count comes
// back as `{ total }` (counted in the real background worker when the matches
// are many), and the tab's next page or count cancels the one still running,
// never another tab's: the preview keeps one session holder per tab.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PreviewServer } from '../../../src/server/preview-server'
import { cancelledError, type BackgroundTasks } from '../../../src/main/core/background/runner'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { contextOf } from '../../../src/main/core/open-core'
import { insertUser } from '../../../src/main/db/users-repo'
import { BridgeTab, startBridge } from '../helpers/bridge'
import { PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

const MARIAS = 1_500

let env: TestEnv
let server: PreviewServer
let secret: Buffer

beforeEach(async () => {
  env = new TestEnv()
  ;({ secret } = await setUpAdmin(env))
  env.db.transaction(() => {
    for (let i = 0; i < MARIAS; i++) insertUser(env.db, { name: `Maria Number${i}`, email: `m${i}@corp.example.net`, role: 'user', passwordHash: null, now: env.clock.now() })
  })()
  server = await startBridge(env)
})
afterEach(async () => {
  vi.restoreAllMocks()
  await server.close()
  env.dispose()
})

async function signedInTab(): Promise<BridgeTab> {
  env.clock.advance(30_000)
  const tab = new BridgeTab(server)
  expect((await tab.post('login', { email: 'admin@example.com', password: PASSWORD })).body).toMatchObject({ ok: true, value: { step: 'second-factor' } })
  expect((await tab.post('verifyCode', { code: codeAt(secret, env.clock.now()) })).body).toMatchObject({ ok: true, value: { step: 'signed-in' } })
  return tab
}

describe('countUsers over the preview’s HTTP bridge', () => {
  it('answers { total } exactly: without a search, for few matches, and for many (counted in the worker)', async () => {
    const tab = await signedInTab()
    const everyone = await tab.post('listUsers', { limit: 1 })
    expect(everyone.body).toMatchObject({ ok: true, value: { total: MARIAS + 1, countPending: false } })
    expect((await tab.post('countUsers', {})).body).toEqual({ ok: true, value: { total: MARIAS + 1 } })
    expect((await tab.post('countUsers', { query: 'M1@CORP' })).body).toEqual({ ok: true, value: { total: 1 } })
    expect((await tab.post('countUsers', { query: 'admin', status: 'active' })).body).toEqual({ ok: true, value: { total: 1 } })
    // Many: a page that cannot count them says the count is coming, and countUsers brings it. (A page of "maria"
    // alone, in name or email order, has its exact total at once: one word holds it, and the words index counts
    // its users; a term of two words sorted by email is walked.)
    const page = await tab.post('listUsers', { query: 'maria number', sort: 'email', limit: 20 })
    expect(page.body).toMatchObject({ ok: true, value: { countPending: true } })
    expect((await tab.post('countUsers', { query: 'maria number' })).body).toEqual({ ok: true, value: { total: MARIAS } })
    expect((await tab.post('listUsers', { query: 'maria', limit: 20 })).body).toMatchObject({ ok: true, value: { total: MARIAS, countPending: false } })
    expect((await tab.post('listUsers', { query: 'maria', sort: 'email', limit: 20 })).body).toMatchObject({ ok: true, value: { total: MARIAS, countPending: false } })
    const run = vi.spyOn(contextOf(env.core).background, 'run')
    expect((await tab.post('countUsers', { query: 'maria' })).body).toEqual({ ok: true, value: { total: MARIAS } })
    expect((await tab.post('countUsers', { query: 'corp.example', role: 'user' })).body).toEqual({ ok: true, value: { total: MARIAS } })
    expect(run).toHaveBeenCalledTimes(2)
  })

  it('refuses a bad filter with VALIDATION, and a signed-out tab', async () => {
    const tab = await signedInTab()
    expect((await tab.post('countUsers', { query: 'maria', cursor: 'x' })).body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await tab.post('countUsers', { status: 'sometimes' })).body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await new BridgeTab(server).post('countUsers', {})).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  it('a tab’s next page cancels its running count (CANCELLED); another tab’s count goes on', async () => {
    const runs: Array<{ signal?: AbortSignal; answer: (total: number) => void }> = []
    const run = (_name: string, _input: unknown, _progress: unknown, signal?: AbortSignal): Promise<unknown> =>
      new Promise((resolve, reject) => {
        runs.push({ signal, answer: (total) => resolve({ total }) })
        signal?.addEventListener('abort', () => reject(cancelledError()), { once: true })
      })
    vi.spyOn(contextOf(env.core).background, 'run').mockImplementation(run as unknown as BackgroundTasks['run'])
    const tab = await signedInTab()
    const other = await signedInTab()
    const count = tab.post('countUsers', { query: 'maria' })
    await vi.waitFor(() => expect(runs).toHaveLength(1))
    const othersCount = other.post('countUsers', { query: 'number' })
    await vi.waitFor(() => expect(runs).toHaveLength(2))
    await tab.post('listUsers', { query: 'maria n', limit: 20 })
    expect((await count).body).toMatchObject({ ok: false, error: { code: 'CANCELLED' } })
    expect(runs[1]?.signal?.aborted).toBe(false)
    runs[1]?.answer(MARIAS)
    expect((await othersCount).body).toEqual({ ok: true, value: { total: MARIAS } })
  })
})

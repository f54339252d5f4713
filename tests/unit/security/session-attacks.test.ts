// The attacks of issue 9 on the browser preview's sessions: a cookie fixed
// before sign-in, a cookie that outlives logout, cookies planted by another
// page on 127.0.0.1 (cookies are not kept apart by port) to block sign-in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PreviewServer } from '../../../src/server/preview-server'
import { BridgeTab, startBridge } from '../helpers/bridge'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
let server: PreviewServer
beforeEach(async () => {
  env = new TestEnv()
  server = await startBridge(env)
})
afterEach(async () => {
  await server.close()
  env.dispose()
})

const signedIn = async (tab: BridgeTab) => {
  const reply = await tab.post('getAppState')
  return (reply.body as { ok: true; value: { session: { step: string } | null } }).value.session?.step ?? null
}

describe('the preview session cookie', () => {
  it('is issued anew at every sign-in step: a cookie from before is never a signed-in session', async () => {
    const { secret } = await setUpAdmin(env)
    env.clock.advance(30_000)
    const tab = new BridgeTab(server)
    expect((await tab.post('login', { email: 'admin@example.com', password: PASSWORD })).body).toMatchObject({ ok: true, value: { step: 'second-factor' } })
    const afterPassword = [...tab.cookies.entries()]
    expect(afterPassword).toHaveLength(1)
    // Someone who learnt (or fixed) the cookie at this point holds nothing once the code is entered.
    const fixed = new BridgeTab(server, afterPassword.map(([name, value]) => `${name}=${value}`))
    expect((await tab.post('verifyCode', { code: codeAt(secret, env.clock.now()) })).body).toMatchObject({ ok: true })
    const afterCode = [...tab.cookies.entries()]
    expect(afterCode[0]?.[1]).not.toBe(afterPassword[0]?.[1])
    expect(await signedIn(tab)).toBe('signed-in')
    expect(await signedIn(fixed)).toBeNull()
  })

  it('is cleared at logout, and the old value is no session any more', async () => {
    await setUpAdmin(env)
    const tab = new BridgeTab(server)
    await tab.post('login', { email: 'admin@example.com', password: PASSWORD })
    const before = [...tab.cookies.entries()].map(([name, value]) => `${name}=${value}`)
    const logout = await tab.post('logout')
    expect(logout.setCookie.join('')).toMatch(/Max-Age=0/)
    expect(tab.cookies.size).toBe(0)
    expect(await signedIn(new BridgeTab(server, before))).toBeNull()
  })

  it('cannot be blocked by cookies another page on 127.0.0.1 planted, under any name', async () => {
    await setUpAdmin(env)
    const planted = [
      'twofa_session=planted-by-another-port',
      'twofa_session=planted-again',
      // Even a guess at our name, with junk in it.
      'twofa_session_0000000000000000=junk',
      ...Array.from({ length: 20 }, (_, i) => `noise${i}=x`)
    ]
    const tab = new BridgeTab(server, planted)
    expect((await tab.post('login', { email: 'admin@example.com', password: PASSWORD })).body).toMatchObject({ ok: true, value: { step: 'second-factor' } })
    expect(await signedIn(tab)).toBe('second-factor')
  })
})

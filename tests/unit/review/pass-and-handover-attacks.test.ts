// Review of issue 12: temporary access passes and the hand-over under attack.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { openCore } from '../../../src/main/core/open-core'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { addUser, enroll, FAST_KDF, PASSWORD, secretFromUri, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const MARIA = 'maria@example.com'
const HOUR = 60 * 60 * 1000
let env: TestEnv
let admin: Screen
let adminSecret: Buffer
let mariaId: number
beforeEach(async () => {
  env = new TestEnv()
  ;({ screen: admin, secret: adminSecret } = await setUpAdmin(env))
  mariaId = await addUser(env, MARIA)
})
afterEach(() => env.dispose())

describe('a single-use pass used in parallel', () => {
  it('60 parallel logins with the right pass open exactly one session', async () => {
    const { pass } = await admin.ok('issueTemporaryPass', { userId: mariaId })
    const screens = Array.from({ length: 60 }, () => env.screen())
    const results = await Promise.all(screens.map((s) => s.call('login', { email: MARIA, password: pass })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    // The others are refused (the replays count as wrong guesses and lock the account: the lockout's rule).
    expect(new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code)))).toEqual(new Set(['ACCOUNT_LOCKED']))
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'temporary-pass.used'").pluck().get()).toBe(1)
  })

  it('two cores (two processes) on one database cannot both use it', async () => {
    const { pass } = await admin.ok('issueTemporaryPass', { userId: mariaId })
    const other = openCore({ dbPath: env.dbPath, keyProvider: fileKeyProvider(env.dbPath), clock: env.clock, passwordKdf: FAST_KDF })
    try {
      const a = env.core.dispatch('login', { kind: 'session', holder: { sessionId: null } }, { email: MARIA, password: pass })
      const b = other.dispatch('login', { kind: 'session', holder: { sessionId: null } }, { email: MARIA, password: pass })
      const results = await Promise.all([a, b])
      expect(results.filter((r) => r.ok)).toHaveLength(1)
    } finally {
      other.close()
    }
  })
})

describe('after a lost phone, the old authenticator’s sessions', () => {
  it('end when a temporary access pass replaces the authenticator (as resetTwoFactor ends them)', async () => {
    // Maria signed in with her (now lost) phone on another computer.
    const old = env.screen()
    await old.ok('login', { email: MARIA, password: PASSWORD })
    await enroll(env, old)
    expect((await old.ok('getMyAccount')).status).toBe('active')
    // The admin gives her a pass; she replaces the authenticator with it.
    const { pass } = await admin.ok('issueTemporaryPass', { userId: mariaId })
    const desk = env.screen()
    await desk.ok('login', { email: MARIA, password: pass })
    const start = await desk.ok('startEnrollment')
    await desk.ok('confirmEnrollment', { code: codeAt(secretFromUri(start.otpauthUri), env.clock.now()) })
    // The session opened with the lost authenticator should be gone. FAILS today: it still works.
    const stillThere = await old.call('getMyAccount')
    expect(stillThere.ok ? 'still signed in' : stillThere.error.code).toBe('UNAUTHENTICATED')
  })

  it('end when the hand-over at the desk replaces the authenticator', async () => {
    const old = env.screen()
    await old.ok('login', { email: MARIA, password: PASSWORD })
    await enroll(env, old)
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    await admin.ok('identifyInPerson', { secret: PASSWORD })
    const start = await admin.ok('startEnrollment')
    await admin.ok('confirmEnrollment', { code: codeAt(secretFromUri(start.otpauthUri), env.clock.now()) })
    env.clock.advance(30_000)
    await admin.ok('endInPersonEnrollment', { code: codeAt(adminSecret, env.clock.now()) })
    const stillThere = await old.call('getMyAccount')
    expect(stillThere.ok ? 'still signed in' : stillThere.error.code).toBe('UNAUTHENTICATED')
  })
})

describe('the locked administrator session', () => {
  it('does not present itself as signed in while handed over', async () => {
    const copy = env.screen()
    copy.holder.sessionId = admin.holder.sessionId
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    const state = await copy.ok('getAppState')
    // Every other method answers HANDOVER_IN_PROGRESS; getAppState says "signed-in" as an administrator.
    expect(state.session?.step).not.toBe('signed-in')
  })
})

describe('an expired or revoked pass', () => {
  it('cannot identify a user at the desk after it expired', async () => {
    const { pass } = await admin.ok('issueTemporaryPass', { userId: mariaId, hours: 1 })
    env.clock.advance(HOUR + 1)
    const again = env.screen()
    await again.ok('login', { email: 'admin@example.com', password: PASSWORD })
    await again.ok('verifyCode', { code: codeAt(adminSecret, env.clock.now()) })
    // Maria has a password: the hand-over may start; the expired pass must not identify her.
    await again.ok('startInPersonEnrollment', { userId: mariaId })
    expect((await again.fail('identifyInPerson', { secret: pass })).code).toBe('INVALID_CREDENTIALS')
  })
})

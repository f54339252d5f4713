// Temporary access passes (issue 12, part 3): issued by an administrator after a
// lost phone or for someone who never had a password, shown once, stored
// hashed, typed where the password goes, single use by default, expiring,
// revocable, one per user, and good for nothing but a first password and 2FA.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiMethod } from '../../../src/shared/contract'
import { TEMPORARY_PASS_MAX_HOURS } from '../../../src/shared/contract/temporary-pass'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { GUESSES_PER_LOCK } from '../../../src/main/core/lockout'
import { REAUTH_WINDOW_MS } from '../../../src/main/core/sessions'
import { hashTemporaryPass } from '../../../src/main/core/temporary-pass/pass-secret'
import { addUser, enroll, PASSWORD, secretFromUri, setUpAdmin, START, TestEnv, type Screen } from '../helpers/harness'

const HOUR = 60 * 60 * 1000
const MARIA = 'maria@example.com'

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

const issue = (input: Record<string, unknown> = {}) => admin.ok('issueTemporaryPass', { userId: mariaId, ...input })
const actions = (action: string) => env.db.prepare('SELECT actor, target, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as { actor: string; target: string; details: string }[]
const failures = (email: string) => env.db.prepare('SELECT failed_attempts FROM users WHERE email = ?').pluck().get(email) as number

async function passSession(pass: string, email = MARIA): Promise<Screen> {
  const screen = env.screen()
  const step = await screen.ok('login', { email, password: pass })
  expect(step.step).toBe('temporary-pass')
  return screen
}

/** Enrolls in `screen` (a pass session), returning the new secret and the step it ends at. */
async function enrollWith(screen: Screen): Promise<{ secret: Buffer; step: string }> {
  const start = await screen.ok('startEnrollment')
  const secret = secretFromUri(start.otpauthUri)
  const done = await screen.ok('confirmEnrollment', { code: codeAt(secret, env.clock.now()) })
  env.clock.advance(30_000)
  return { secret, step: done.session.step }
}

describe('issuing', () => {
  it('answers the pass once, stores only its hash, and shows the administrator whether one is active and until when, never the pass', async () => {
    const issued = await issue()
    expect(issued.pass).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
    expect(issued.status).toEqual({ issuedAt: env.clock.now(), issuedBy: 'admin@example.com', expiresAt: env.clock.now() + 8 * HOUR, singleUse: true, usedAt: null })
    const details = await admin.ok('getUser', { userId: mariaId })
    expect(details.temporaryPass).toEqual(issued.status)
    expect(JSON.stringify(details)).not.toContain(issued.pass)
    // The database holds the hash alone: neither the pass nor its dashless form is anywhere in it.
    const dump = JSON.stringify(env.db.prepare('SELECT * FROM temporary_passes').all()) + JSON.stringify(env.db.prepare('SELECT * FROM audit_log').all())
    expect(dump).not.toContain(issued.pass)
    expect(dump).not.toContain(issued.pass.replace(/-/g, ''))
    expect(env.db.prepare('SELECT pass_hash FROM temporary_passes WHERE user_id = ?').pluck().get(mariaId)).toBe(hashTemporaryPass(mariaId, issued.pass))
    expect(actions('temporary-pass.issued')).toEqual([{ actor: 'admin@example.com', target: MARIA, details: JSON.stringify({ hours: 8, singleUse: true, expiresAt: env.clock.now() + 8 * HOUR }) }])
  })

  it('lasts from 1 hour to 30 days, in whole hours: anything else is a VALIDATION error on hours, and nothing is stored', async () => {
    for (const hours of [0, -1, TEMPORARY_PASS_MAX_HOURS + 1, 1.5]) {
      const error = await admin.fail('issueTemporaryPass', { userId: mariaId, hours })
      expect(error).toMatchObject({ code: 'VALIDATION', field: 'hours' })
      expect(error.message).toMatch(/1 hour to 30 days/)
    }
    expect((await admin.fail('issueTemporaryPass', { userId: mariaId, hours: '8' })).code).toBe('VALIDATION')
    expect(env.db.prepare('SELECT count(*) FROM temporary_passes').pluck().get()).toBe(0)
    expect((await issue({ hours: 1 })).status.expiresAt).toBe(env.clock.now() + HOUR)
    expect((await issue({ hours: TEMPORARY_PASS_MAX_HOURS })).status.expiresAt).toBe(env.clock.now() + 30 * 24 * HOUR)
  })

  it('needs the administrator’s recent re-authentication; nothing is stored until then', async () => {
    env.clock.set(START + REAUTH_WINDOW_MS + 1)
    expect((await admin.fail('issueTemporaryPass', { userId: mariaId })).code).toBe('REAUTH_REQUIRED')
    expect(env.db.prepare('SELECT count(*) FROM temporary_passes').pluck().get()).toBe(0)
    await admin.ok('reauthenticate', { code: codeAt(adminSecret, env.clock.now()) })
    expect((await issue()).pass).toBeTruthy()
  })

  it('is refused for oneself, for a disabled user, for a demo user and for an unknown one', async () => {
    const me = (await admin.ok('getAppState')).session
    if (me?.step !== 'signed-in') throw new Error('not signed in')
    expect((await admin.fail('issueTemporaryPass', { userId: me.me.id })).code).toBe('FORBIDDEN')
    await admin.ok('updateUser', { userId: mariaId, disabled: true })
    expect((await admin.fail('issueTemporaryPass', { userId: mariaId })).message).toMatch(/disabled/)
    expect((await admin.fail('issueTemporaryPass', { userId: 999 })).code).toBe('NOT_FOUND')
    env.core.local.seedDemo({ users: 1, seed: 1, force: true })
    const demoId = env.db.prepare('SELECT id FROM users WHERE demo = 1').pluck().get() as number
    expect((await admin.fail('issueTemporaryPass', { userId: demoId })).message).toMatch(/demo user/)
  })

  it('a new pass revokes the old one: the old pass signs in no more, and the session it opened ends', async () => {
    const first = await issue({ singleUse: false })
    const session = await passSession(first.pass)
    const second = await issue()
    expect((await env.screen().fail('login', { email: MARIA, password: first.pass })).code).toBe('INVALID_CREDENTIALS')
    expect((await session.fail('startEnrollment')).code).toBe('UNAUTHENTICATED')
    expect(actions('temporary-pass.revoked').map((entry) => JSON.parse(entry.details) as unknown)).toEqual([{ reason: 'replaced', singleUse: false, used: false }])
    await passSession(second.pass)
  })
})

describe('signing in with a pass', () => {
  it('is typed where the password goes, opens a session for a first password and 2FA only, and a single-use pass works once', async () => {
    const { pass } = await issue()
    const step = await env.screen().ok('login', { email: MARIA, password: pass.toUpperCase().replace(/-/g, ' ') })
    expect(step).toMatchObject({ step: 'temporary-pass', me: { email: MARIA }, canSetPassword: false, replacesAuthenticator: false })
    expect((await env.screen().fail('login', { email: MARIA, password: pass })).code).toBe('INVALID_CREDENTIALS')
    expect(actions('temporary-pass.used')).toHaveLength(1)
    expect((await admin.ok('getUser', { userId: mariaId })).temporaryPass?.usedAt).toBe(env.clock.now())
    // Her password still signs her in as before.
    expect((await env.screen().ok('login', { email: MARIA, password: PASSWORD })).step).toBe('signed-in')
  })

  it('is refused once expired (an injected clock), and the session it opened ends with it', async () => {
    const { pass } = await issue({ hours: 1, singleUse: false })
    env.clock.advance(HOUR - 60_000)
    const session = await passSession(pass)
    env.clock.advance(60_000)
    expect((await session.fail('startEnrollment')).code).toBe('UNAUTHENTICATED')
    expect((await env.screen().fail('login', { email: MARIA, password: pass })).code).toBe('INVALID_CREDENTIALS')
    // (The administrator's own screen idled out meanwhile: asked as the command line.)
    expect((await env.cli('getUser', { userId: mariaId })).temporaryPass).toBeNull()
  })

  it('a revoked pass is refused, and the session it opened ends at its next call', async () => {
    const { pass } = await issue({ singleUse: false })
    const session = await passSession(pass)
    const details = await admin.ok('revokeTemporaryPass', { userId: mariaId })
    expect(details.temporaryPass).toBeNull()
    expect((await session.fail('startEnrollment')).code).toBe('UNAUTHENTICATED')
    expect((await env.screen().fail('login', { email: MARIA, password: pass })).code).toBe('INVALID_CREDENTIALS')
    expect((await admin.fail('revokeTemporaryPass', { userId: mariaId })).code).toBe('NOT_FOUND')
    expect(JSON.parse(actions('temporary-pass.revoked')[0]!.details)).toMatchObject({ reason: 'administrator' })
  })

  it('is bound to its user, and a disabled account answers a right pass as a wrong password', async () => {
    const tomId = await addUser(env, 'tom@example.com')
    const { pass } = await issue()
    expect((await env.screen().fail('login', { email: 'tom@example.com', password: pass })).code).toBe('INVALID_CREDENTIALS')
    await admin.ok('issueTemporaryPass', { userId: tomId })
    await admin.ok('updateUser', { userId: mariaId, disabled: true })
    const refused = await env.screen().fail('login', { email: MARIA, password: pass })
    expect(refused.message).toBe('The email or password is not correct. Check both and try again.')
  })

  it('can do nothing but set a first password and activate 2FA, even for an administrator', async () => {
    const bobId = await addUser(env, 'bob@example.com', 'admin')
    const { pass } = await admin.ok('issueTemporaryPass', { userId: bobId })
    const bob = await passSession(pass, 'bob@example.com')
    const refused: [ApiMethod, Record<string, unknown>][] = [
      ['listUsers', {}],
      ['getUser', { userId: mariaId }],
      ['createUser', { name: 'Eve', email: 'eve@example.com', role: 'admin', password: 'a very long new password 42' }],
      ['updateUser', { userId: mariaId, role: 'admin' }],
      ['resetTwoFactor', { userId: mariaId }],
      ['setUserPassword', { userId: mariaId, password: 'a very long new password 42' }],
      ['issueTemporaryPass', { userId: mariaId }],
      ['revokeTemporaryPass', { userId: mariaId }],
      ['startInPersonEnrollment', { userId: mariaId }],
      ['enforceForAllUsers', {}],
      ['listAudit', {}],
      ['getSecurityOverview', {}],
      ['getMyAccount', {}],
      ['changePassword', { currentPassword: PASSWORD, newPassword: 'a very long new password 42' }],
      ['regenerateRecoveryCodes', { code: '123456' }],
      ['deactivateMyTwoFactor', { code: '123456' }],
      ['reauthenticate', { password: PASSWORD }],
      ['verifyCode', { code: '123456' }],
      ['getChangeStamp', {}],
      ['listRadiusClients', {}],
      ['exportUsers', { format: 'csv' }]
    ]
    for (const [method, input] of refused) {
      const error = await bob.fail(method, input)
      expect([method, error.code]).toEqual([method, 'ENROLLMENT_REQUIRED'])
    }
    // Refused, not ended: the same session sets no password (Bob has one) and enrolls; then it is signed in with his rights.
    const again = bob
    expect((await again.fail('setFirstPassword', { password: 'a very long new password 42' })).message).toMatch(/password already/)
    expect((await enrollWith(again)).step).toBe('signed-in')
    expect((await again.ok('listUsers', {})).total).toBe(3)
  })

  it('a multi-use pass signs in again until 2FA is activated, which revokes it', async () => {
    const { pass } = await issue({ singleUse: false })
    await passSession(pass)
    const second = await passSession(pass)
    expect((await enrollWith(second)).step).toBe('signed-in')
    expect((await env.screen().fail('login', { email: MARIA, password: pass })).code).toBe('INVALID_CREDENTIALS')
    expect(JSON.parse(actions('temporary-pass.revoked')[0]!.details)).toEqual({ reason: '2fa-activated', singleUse: false })
    expect((await admin.ok('getUser', { userId: mariaId })).temporaryPass).toBeNull()
  })

  it('after a lost phone: the old authenticator is replaced only when the new one is confirmed', async () => {
    const maria = env.screen()
    await maria.ok('login', { email: MARIA, password: PASSWORD })
    const old = (await enroll(env, maria)).secret
    const { pass } = await issue()
    const session = await passSession(pass)
    expect((await session.ok('getAppState')).session).toMatchObject({ step: 'temporary-pass', replacesAuthenticator: true })
    await session.ok('startEnrollment')
    // Not confirmed yet: the old one still signs in.
    const check = env.screen()
    await check.ok('login', { email: MARIA, password: PASSWORD })
    await check.ok('verifyCode', { code: codeAt(old, env.clock.now()) })
    env.clock.advance(30_000)
    const { secret, step } = await enrollWith(session)
    expect(step).toBe('signed-in')
    const after = env.screen()
    await after.ok('login', { email: MARIA, password: PASSWORD })
    expect((await after.fail('verifyCode', { code: codeAt(old, env.clock.now()) })).code).toBe('INVALID_CODE')
    await after.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })
    expect(JSON.parse(actions('2fa.enrolled').at(-1)!.details)).toEqual({ via: 'temporary-pass', replaced: true })
  })

  it('onboards an imported user who has no password: pass, first password, 2FA, then signed in; the password works afterwards', async () => {
    await env.cli('importUsers', { csv: 'email,name\nnew@example.com,New Person\n', dryRun: false })
    const newId = env.core.local.findUserIdByEmail('new@example.com')
    // No password and no pass: like an unknown email.
    expect((await env.screen().fail('login', { email: 'new@example.com', password: 'anything at all' })).code).toBe('INVALID_CREDENTIALS')
    const { pass } = await admin.ok('issueTemporaryPass', { userId: newId })
    const screen = env.screen()
    expect(await screen.ok('login', { email: 'new@example.com', password: pass })).toMatchObject({ step: 'temporary-pass', canSetPassword: true })
    expect((await screen.fail('setFirstPassword', { password: 'short' })).code).toBe('VALIDATION')
    const step = await screen.ok('setFirstPassword', { password: 'my own long password 2026' })
    expect(step).toMatchObject({ step: 'temporary-pass', canSetPassword: false })
    const { secret, step: done } = await enrollWith(screen)
    expect(done).toBe('signed-in')
    expect((await screen.ok('getMyAccount')).status).toBe('active')
    const later = env.screen()
    expect((await later.ok('login', { email: 'new@example.com', password: 'my own long password 2026' })).step).toBe('second-factor')
    expect((await later.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })).step).toBe('signed-in')
    expect(JSON.parse(actions('user.password-changed').at(-1)!.details)).toEqual({ by: 'temporary-pass', first: true })
  })

  it('a directory user never sets a local password with a pass', async () => {
    env.db.prepare("UPDATE users SET source = 'ldap', directory_dn = 'uid=maria,dc=example,dc=com', password_hash = NULL WHERE id = ?").run(mariaId)
    const { pass } = await issue()
    const screen = env.screen()
    expect(await screen.ok('login', { email: MARIA, password: pass })).toMatchObject({ step: 'temporary-pass', canSetPassword: false })
    expect((await screen.fail('setFirstPassword', { password: 'my own long password 2026' })).code).toBe('FORBIDDEN')
    expect((await enrollWith(screen)).step).toBe('signed-in')
  })
})

describe('guessing', () => {
  it('60 parallel logins with wrong passes stop at the lockout; the right pass sent last is refused, and stays refused', async () => {
    const { pass } = await issue()
    const wrongPass = (i: number) => `wxyz-${String(i).padStart(2, '2').replace(/[01]/g, '2')}ab-cdef-ghjk`
    const attempts = Array.from({ length: 60 }, (_, i) => env.screen().call('login', { email: MARIA, password: i === 59 ? pass : wrongPass(i) }))
    const results = await Promise.all(attempts)
    expect(results.filter((result) => result.ok)).toEqual([])
    const evaluated = actions('login.failure').filter((entry) => entry.target === MARIA).length
    expect(evaluated).toBeLessThanOrEqual(GUESSES_PER_LOCK)
    expect(results.at(-1)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } })
    expect(failures(MARIA)).toBeGreaterThanOrEqual(GUESSES_PER_LOCK)
    expect((await env.screen().fail('login', { email: MARIA, password: pass })).code).toBe('ACCOUNT_LOCKED')
    // Still unused: the lock refused it before it was taken.
    expect(env.db.prepare('SELECT used_at FROM temporary_passes WHERE user_id = ?').pluck().get(mariaId)).toBeNull()
  })

  it('a wrong pass counts like a wrong password on the same counter', async () => {
    await issue()
    await env.screen().fail('login', { email: MARIA, password: 'abcd-efgh-jkmn-pqrs' })
    await env.screen().fail('login', { email: MARIA, password: 'not my password' })
    expect(failures(MARIA)).toBe(2)
  })
})

describe('RADIUS', () => {
  it('refuses a pass: only the password (and code) sign in there, and the pass is not used up', async () => {
    const { pass } = await issue({ singleUse: true })
    const decision = await env.core.local.radiusSignIn.decide({ name: 'vpn', require2fa: false }, MARIA, pass, null)
    expect(decision).toMatchObject({ kind: 'reject' })
    expect(failures(MARIA)).toBe(1)
    expect(env.db.prepare('SELECT used_at FROM temporary_passes WHERE user_id = ?').pluck().get(mariaId)).toBeNull()
    expect(actions('temporary-pass.used')).toEqual([])
    // The pass itself still works in the app.
    await passSession(pass)
  })
})

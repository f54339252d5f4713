// Enrollment at the administrator's desk (issue 12, part 4): the admin's session
// is locked in the core while the hand-over is open, the user's own hand-over
// session holds the enrollment (its secret never reaches the admin's session),
// and only the admin's own password or code gives the screen back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiMethod } from '../../../src/shared/contract'
import { base32Encode, codeAt } from '../../../src/main/core/crypto/totp'
import { GUESSES_PER_LOCK } from '../../../src/main/core/lockout'
import { PRE_AUTH_TIMEOUT_MS, REAUTH_WINDOW_MS } from '../../../src/main/core/sessions'
import { addUser, enroll, PASSWORD, secretFromUri, setUpAdmin, START, TestEnv, type Screen } from '../helpers/harness'

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

const actions = () =>
  env.db.prepare("SELECT action FROM audit_log WHERE (action LIKE 'enrollment.%' OR action = '2fa.enrolled') AND target <> 'admin@example.com' ORDER BY id").pluck().all() as string[]

/** A second holder of the admin's own session id: what "the admin's session" answers, whatever the window now holds. */
function adminSessionCopy(): Screen {
  const copy = env.screen()
  copy.holder.sessionId = admin.holder.sessionId
  return copy
}

/** Every admin-ish call the admin's session might make to reach the secret or do anything at all. */
const ADMIN_CALLS: [ApiMethod, (ids: { mariaId: number }) => Record<string, unknown>][] = [
  ['getUser', ({ mariaId }) => ({ userId: mariaId })],
  ['listUsers', () => ({})],
  ['startEnrollment', () => ({})],
  ['confirmEnrollment', () => ({ code: '123456' })],
  ['getMyAccount', () => ({})],
  ['resetTwoFactor', ({ mariaId }) => ({ userId: mariaId })],
  ['issueTemporaryPass', ({ mariaId }) => ({ userId: mariaId })],
  ['setUserPassword', ({ mariaId }) => ({ userId: mariaId, password: 'a very long new password 42' })],
  ['listAudit', () => ({})],
  ['getSecurityOverview', () => ({})],
  ['reauthenticate', () => ({ password: PASSWORD })],
  ['startInPersonEnrollment', ({ mariaId }) => ({ userId: mariaId })],
  ['getChangeStamp', () => ({})]
]

describe('the hand-over', () => {
  it('runs start to end: locked admin, the user proves who they are, enrolls, gets recovery codes; the admin unlocks with their own password', async () => {
    const copy = adminSessionCopy()
    const started = await admin.ok('startInPersonEnrollment', { userId: mariaId })
    expect(started).toEqual({ step: 'in-person', stage: 'identify', me: { id: mariaId, name: 'maria', email: MARIA, role: 'user' }, admin: 'admin@example.com' })
    // The window now holds the user's hand-over session, not the admin's.
    expect(admin.holder.sessionId).not.toBe(copy.holder.sessionId)

    const seen: unknown[] = []
    const asAdmin = async () => {
      for (const [method, input] of ADMIN_CALLS) {
        const result = await copy.call(method, input({ mariaId }))
        seen.push(result)
        expect([method, result.ok ? 'ok' : result.error.code]).toEqual([method, 'HANDOVER_IN_PROGRESS'])
      }
      seen.push(await copy.call('getAppState'))
    }
    await asAdmin()

    expect((await admin.fail('identifyInPerson', { secret: 'not her password' })).code).toBe('INVALID_CREDENTIALS')
    expect(await admin.ok('identifyInPerson', { secret: PASSWORD })).toMatchObject({ step: 'in-person', stage: 'enroll' })
    const start = await admin.ok('startEnrollment')
    const secret = secretFromUri(start.otpauthUri)
    await asAdmin()
    const done = await admin.ok('confirmEnrollment', { code: codeAt(secret, env.clock.now()) })
    expect(done.recoveryCodes).toHaveLength(10)
    expect(done.session).toMatchObject({ step: 'in-person', stage: 'done' })
    await asAdmin()

    expect((await admin.fail('endInPersonEnrollment', { password: 'not the admin password' })).message).toMatch(/not the password of admin@example.com/)
    expect((await admin.fail('listUsers', {})).code).toBe('HANDOVER_IN_PROGRESS')
    env.clock.advance(30_000)
    const back = await admin.ok('endInPersonEnrollment', { code: codeAt(adminSecret, env.clock.now()) })
    expect(back).toMatchObject({ step: 'signed-in', me: { email: 'admin@example.com' } })
    expect(admin.holder.sessionId).toBe(copy.holder.sessionId)

    // Afterwards the admin's session is the admin's again, and still never sees her secret or codes.
    const details = await admin.ok('getUser', { userId: mariaId })
    expect(details.status).toBe('active')
    seen.push(details, await admin.call('startEnrollment'), await admin.call('getAppState'), await admin.call('listAudit', {}), await admin.call('listUsers', {}))
    const everything = JSON.stringify(seen)
    for (const needle of [base32Encode(secret), start.otpauthUri, start.qrDataUrl, start.secretGroups.join(' '), ...done.recoveryCodes]) expect(everything).not.toContain(needle)
    expect(everything).not.toContain(start.secretGroups[0])

    // Her new authenticator is hers: she signs in with it.
    const maria = env.screen()
    await maria.ok('login', { email: MARIA, password: PASSWORD })
    expect((await maria.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })).step).toBe('signed-in')
    expect(actions()).toEqual(['enrollment.in-person-started', 'enrollment.in-person-identified', '2fa.enrolled', 'enrollment.in-person-ended'])
  })

  it('the person at the desk gets none of the admin’s powers, at any step', async () => {
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    const tryAll = async () => {
      for (const [method, input] of ADMIN_CALLS.filter(([method]) => !['startEnrollment', 'confirmEnrollment'].includes(method))) {
        const error = await admin.fail(method, input({ mariaId }))
        expect([method, error.code]).toEqual([method, 'HANDOVER_IN_PROGRESS'])
      }
      expect((await admin.fail('createUser', { name: 'Eve', email: 'eve@example.com', role: 'admin', password: 'a very long new password 42' })).code).toBe('HANDOVER_IN_PROGRESS')
    }
    await tryAll()
    // Not enrolling before proving who she is.
    expect((await admin.fail('startEnrollment')).code).toBe('HANDOVER_IN_PROGRESS')
    await admin.ok('identifyInPerson', { secret: PASSWORD })
    await tryAll()
    await admin.ok('cancelInPersonEnrollment')
    await tryAll()
    // Nor does the admin's own "Confirm it's you" work from the desk.
    expect((await admin.fail('reauthenticate', { code: codeAt(adminSecret, env.clock.now()) })).code).toBe('HANDOVER_IN_PROGRESS')
  })

  it('cancel at any step discards the QR code and leads to the admin’s unlock; only then is the admin back', async () => {
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    await admin.ok('identifyInPerson', { secret: PASSWORD })
    const start = await admin.ok('startEnrollment')
    expect(await admin.ok('cancelInPersonEnrollment')).toMatchObject({ stage: 'done' })
    expect(env.db.prepare('SELECT count(*) FROM totp_enrollments WHERE user_id = ?').pluck().get(mariaId)).toBe(0)
    expect((await admin.fail('confirmEnrollment', { code: codeAt(secretFromUri(start.otpauthUri), env.clock.now()) })).code).toBe('HANDOVER_IN_PROGRESS')
    await admin.ok('endInPersonEnrollment', { password: PASSWORD })
    expect((await admin.ok('getUser', { userId: mariaId })).status).toBe('inactive')
    expect(actions()).toEqual(['enrollment.in-person-started', 'enrollment.in-person-identified', 'enrollment.in-person-cancelled', 'enrollment.in-person-ended'])
  })

  it('a user without a password proves who they are with a temporary access pass, which it uses up', async () => {
    await env.cli('importUsers', { csv: 'email,name\nnew@example.com,New Person\n', dryRun: false })
    const newId = env.core.local.findUserIdByEmail('new@example.com')
    expect((await admin.fail('startInPersonEnrollment', { userId: newId })).message).toMatch(/Issue a temporary access pass first/)
    const { pass } = await admin.ok('issueTemporaryPass', { userId: newId })
    await admin.ok('startInPersonEnrollment', { userId: newId })
    await admin.ok('identifyInPerson', { secret: pass })
    const start = await admin.ok('startEnrollment')
    await admin.ok('confirmEnrollment', { code: codeAt(secretFromUri(start.otpauthUri), env.clock.now()) })
    await admin.ok('endInPersonEnrollment', { password: PASSWORD })
    expect((await env.screen().fail('login', { email: 'new@example.com', password: pass })).code).toBe('INVALID_CREDENTIALS')
    expect((await admin.ok('getUser', { userId: newId })).temporaryPass).toBeNull()
  })

  it('replaces an old authenticator only once the new one is confirmed', async () => {
    const maria = env.screen()
    await maria.ok('login', { email: MARIA, password: PASSWORD })
    const old = (await enroll(env, maria)).secret
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    await admin.ok('identifyInPerson', { secret: PASSWORD })
    await admin.ok('startEnrollment')
    await admin.ok('cancelInPersonEnrollment')
    await admin.ok('endInPersonEnrollment', { password: PASSWORD })
    const check = env.screen()
    await check.ok('login', { email: MARIA, password: PASSWORD })
    expect((await check.ok('verifyCode', { code: codeAt(old, env.clock.now()) })).step).toBe('signed-in')
  })

  it('needs a recent re-authentication to start, and is refused for oneself and for the command line', async () => {
    env.clock.set(START + REAUTH_WINDOW_MS + 1)
    expect((await admin.fail('startInPersonEnrollment', { userId: mariaId })).code).toBe('REAUTH_REQUIRED')
    await admin.ok('reauthenticate', { password: PASSWORD })
    const me = (await admin.ok('getAppState')).session
    if (me?.step !== 'signed-in') throw new Error('not signed in')
    expect((await admin.fail('startInPersonEnrollment', { userId: me.me.id })).code).toBe('FORBIDDEN')
    const cli = await env.core.dispatch('startInPersonEnrollment', { kind: 'cli' }, { userId: mariaId })
    expect(cli).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await admin.ok('listUsers', {})).total).toBe(2)
  })

  it('wrong secrets at the desk count on the user’s lockout; a lock stops the hand-over, which only the admin’s unlock ends', async () => {
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    let last
    for (let i = 0; i < GUESSES_PER_LOCK; i++) last = await admin.fail('identifyInPerson', { secret: `wrong ${i}` })
    expect(last?.code).toBe('ACCOUNT_LOCKED')
    expect((await admin.ok('getAppState')).session).toMatchObject({ step: 'in-person', stage: 'done' })
    expect((await admin.fail('identifyInPerson', { secret: PASSWORD })).code).toBe('HANDOVER_IN_PROGRESS')
    await admin.ok('endInPersonEnrollment', { password: PASSWORD })
    expect((await admin.ok('getUser', { userId: mariaId })).locked).toBe(true)
  })

  it('an abandoned desk signs the admin out: when the hand-over times out, the admin session goes with it', async () => {
    const copy = adminSessionCopy()
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    env.clock.advance(PRE_AUTH_TIMEOUT_MS + 1)
    expect((await admin.fail('identifyInPerson', { secret: PASSWORD })).code).toBe('SESSION_EXPIRED')
    expect((await copy.fail('listUsers', {})).code).toBe('UNAUTHENTICATED')
  })

  it('an admin who gets locked out at the unlock leaves nobody signed in at the desk', async () => {
    const copy = adminSessionCopy()
    await admin.ok('startInPersonEnrollment', { userId: mariaId })
    let last
    for (let i = 0; i < GUESSES_PER_LOCK; i++) last = await admin.fail('endInPersonEnrollment', { password: `wrong ${i}` })
    expect(last?.code).toBe('ACCOUNT_LOCKED')
    expect(admin.holder.sessionId).toBeNull()
    expect((await copy.fail('listUsers', {})).code).toBe('UNAUTHENTICATED')
  })
})

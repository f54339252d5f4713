// Sensitive admin actions need the password or a code entered within the last
// 5 minutes ("Confirm it's you"); reauthenticate refreshes it under the same
// failure, lockout and replay rules as signing in.
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiMethod } from '../../../src/shared/contract'
import { REAUTH_WINDOW_MS, reauthWindow } from '../../../src/main/core/sessions'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { addUser, enroll, PASSWORD, setUpAdmin, START, TestEnv, type Screen } from '../helpers/harness'

const MINUTE = 60_000
let env: TestEnv
afterEach(() => env.dispose())

function dump(): string {
  const tables = ['users', 'totp_credentials', 'totp_enrollments', 'recovery_codes', 'enforcement_policy', 'audit_log']
  return JSON.stringify(tables.map((table) => env.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()))
}

function failedAttempts(email: string): number {
  return (env.db.prepare('SELECT failed_attempts AS n FROM users WHERE email = ?').get(email) as { n: number }).n
}

/** An admin whose last password or code (the enrollment code, at START) is now more than 5 minutes old. */
async function staleAdmin(): Promise<{ screen: Screen; secret: Buffer; mariaId: number; bobId: number }> {
  const { screen, secret } = await setUpAdmin(env)
  const mariaId = await addUser(env, 'maria@example.com')
  const bobId = await addUser(env, 'bob@example.com', 'admin')
  // Maria has an authenticator, so a reset has something to remove.
  const maria = env.screen()
  await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
  await enroll(env, maria)
  env.clock.set(START + REAUTH_WINDOW_MS + 1)
  // Still signed in: the idle timeout (15 minutes) is not the point here.
  await screen.ok('getMyAccount')
  return { screen, secret, mariaId, bobId }
}

const SENSITIVE: { name: string; method: ApiMethod; input: (ids: { mariaId: number; bobId: number }) => Record<string, unknown>; before?: () => Promise<void> }[] = [
  { name: 'Enforce 2FA for all users', method: 'enforceForAllUsers', input: () => ({}) },
  { name: 'Revoke enforcement', method: 'revokeEnforcement', input: () => ({}), before: async () => void (await env.cli('enforceForAllUsers')) },
  { name: "reset another user's 2FA", method: 'resetTwoFactor', input: ({ mariaId }) => ({ userId: mariaId }) },
  { name: 'make a user an administrator', method: 'updateUser', input: ({ mariaId }) => ({ userId: mariaId, role: 'admin' }) },
  { name: 'demote an administrator', method: 'updateUser', input: ({ bobId }) => ({ userId: bobId, role: 'user' }) },
  // Issue 9: everything that gives rights or takes 2FA away asks too.
  { name: 'create an administrator', method: 'createUser', input: () => ({ name: 'Root', email: 'root@example.com', role: 'admin', password: PASSWORD }) },
  { name: 'disable an administrator', method: 'updateUser', input: ({ bobId }) => ({ userId: bobId, disabled: true }) },
  {
    name: 'enable an administrator',
    method: 'updateUser',
    input: ({ bobId }) => ({ userId: bobId, disabled: false }),
    before: async () => void (await env.cli('updateUser', { userId: 3, disabled: true }))
  },
  { name: 'exempt a user from enforcement', method: 'setEnforcement', input: ({ mariaId }) => ({ userId: mariaId, enforcement: 'exempt' }), before: async () => void (await env.cli('enforceForAllUsers')) },
  { name: 'untick Enforce 2FA activation', method: 'setEnforceTwoFactorActivation', input: ({ mariaId }) => ({ userId: mariaId, enforce: false }), before: async () => void (await env.cli('setEnforcement', { userId: 2, enforcement: 'enforced' })) },
  // Issue 10: a password set by an administrator, and what an import does that a single change would ask for.
  { name: "set another user's password", method: 'setUserPassword', input: ({ mariaId }) => ({ userId: mariaId, password: 'another long passphrase 7' }) },
  { name: 'import a new administrator', method: 'importUsers', input: () => ({ csv: 'email,role\nroot@example.com,admin\n', dryRun: false }) },
  { name: 'import a demotion', method: 'importUsers', input: () => ({ csv: 'email,role\nbob@example.com,user\n', dryRun: false }) },
  { name: 'import an exemption', method: 'importUsers', input: () => ({ csv: 'email,enforce\nmaria@example.com,no\n', dryRun: false }), before: async () => void (await env.cli('enforceForAllUsers')) },
  {
    name: 'unlock a user',
    method: 'unlockUser',
    input: ({ mariaId }) => ({ userId: mariaId }),
    before: async () => {
      for (let i = 0; i < 10; i++) await env.screen().call('login', { email: 'maria@example.com', password: `wrong ${i}` })
    }
  }
]

describe('the 5-minute window', () => {
  it('counts from the last password or code: allowed at exactly 5 minutes, refused 1 ms later', async () => {
    env = new TestEnv()
    const { screen } = await setUpAdmin(env)
    // The enrollment code was entered at START.
    env.clock.set(START + REAUTH_WINDOW_MS)
    await screen.ok('enforceForAllUsers')
    env.clock.set(START + REAUTH_WINDOW_MS + 1)
    const refused = await screen.fail('revokeEnforcement')
    expect(refused.code).toBe('REAUTH_REQUIRED')
    expect(refused.message).toMatch(/Confirm it's you.*password or an authentication code.*5 minutes/)
  })

  it('starts again at every sign-in with a code', async () => {
    env = new TestEnv()
    const { secret } = await setUpAdmin(env)
    env.clock.advance(REAUTH_WINDOW_MS + 1)
    const again = env.screen()
    expect((await again.ok('login', { email: 'admin@example.com', password: PASSWORD })).step).toBe('second-factor')
    await again.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })
    env.clock.advance(4 * MINUTE)
    await again.ok('enforceForAllUsers')
  })

  it('starts again when a recovery code completes the sign-in', async () => {
    env = new TestEnv()
    const { recoveryCodes } = await setUpAdmin(env)
    env.clock.advance(REAUTH_WINDOW_MS + 1)
    const again = env.screen()
    await again.ok('login', { email: 'admin@example.com', password: PASSWORD })
    await again.ok('verifyRecoveryCode', { code: recoveryCodes[0] ?? '' })
    await again.ok('enforceForAllUsers')
  })

  it('can be made shorter for tests, never longer', async () => {
    expect(reauthWindow()).toBe(5 * MINUTE)
    expect(reauthWindow(2_000)).toBe(2_000)
    expect(reauthWindow(0)).toBe(0)
    expect(reauthWindow(60 * MINUTE)).toBe(5 * MINUTE)
    expect(reauthWindow(Number.POSITIVE_INFINITY)).toBe(5 * MINUTE)
    expect(reauthWindow(Number.NaN)).toBe(5 * MINUTE)
    expect(reauthWindow(-1)).toBe(5 * MINUTE)

    env = new TestEnv({ reauthWindowMs: 24 * 60 * MINUTE })
    const { screen } = await setUpAdmin(env)
    env.clock.set(START + REAUTH_WINDOW_MS + 1)
    expect((await screen.fail('enforceForAllUsers')).code).toBe('REAUTH_REQUIRED')
  })
})

describe('sensitive admin actions', () => {
  for (const action of SENSITIVE) {
    it(`${action.name}: refused after 5 minutes with nothing changed, allowed after reauthenticate`, async () => {
      env = new TestEnv()
      const { screen, mariaId, bobId } = await staleAdmin()
      await action.before?.()
      const before = dump()
      expect((await screen.fail(action.method, action.input({ mariaId, bobId }))).code).toBe('REAUTH_REQUIRED')
      expect(dump()).toBe(before)

      await screen.ok('reauthenticate', { password: PASSWORD })
      await screen.ok(action.method, action.input({ mariaId, bobId }))
      expect(dump()).not.toBe(before)
      // The confirmation is itself on record.
      const entries = (await screen.ok('listAudit', { action: 'session.reauthenticated' })).entries
      expect(entries).toEqual([expect.objectContaining({ actor: 'admin@example.com', details: { method: 'password' } })])
    })
  }

  it('other admin actions, and a reset of the admin’s own 2FA, do not ask again', async () => {
    env = new TestEnv()
    const { screen, mariaId } = await staleAdmin()
    // Enforcing asks nothing: it only adds protection.
    await screen.ok('setEnforceTwoFactorActivation', { userId: mariaId, enforce: true })
    await screen.ok('updateUser', { userId: mariaId, name: 'Maria G.' })
    // Saving the profile form unchanged sends the same role again: that is no role change.
    await screen.ok('updateUser', { userId: mariaId, role: 'user', name: 'Maria Garcia' })
    await screen.ok('updateUser', { userId: mariaId, disabled: true })
    await screen.ok('createUser', { name: 'Tom', email: 'tom@example.com', role: 'user', password: PASSWORD })
    const me = (await screen.ok('getMyAccount')).me.id
    await screen.ok('resetTwoFactor', { userId: me })
  })

  it('the command line is the local administrator and is never asked', async () => {
    env = new TestEnv()
    const { mariaId, bobId } = await staleAdmin()
    await env.cli('enforceForAllUsers')
    await env.cli('revokeEnforcement')
    await env.cli('resetTwoFactor', { userId: mariaId })
    await env.cli('updateUser', { userId: bobId, role: 'user' })
  })
})

describe('reauthenticate', () => {
  it('accepts a current code once: the same time step is refused as at sign-in', async () => {
    env = new TestEnv()
    const { screen, secret } = await staleAdmin()
    const code = codeAt(secret, env.clock.now())
    await screen.ok('reauthenticate', { code })
    expect((await screen.fail('reauthenticate', { code })).code).toBe('CODE_REPLAYED')
    await screen.ok('enforceForAllUsers')
    const entries = (await screen.ok('listAudit', {})).entries
    expect(entries.map((entry) => entry.action)).toContain('login.replay-rejected')
    expect(entries.find((entry) => entry.action === 'session.reauthenticated')?.details).toEqual({ method: 'totp' })
  })

  it('refuses a wrong password or code, audits it, and changes nothing else', async () => {
    env = new TestEnv()
    const { screen } = await staleAdmin()
    const wrongPassword = await screen.fail('reauthenticate', { password: 'not my password' })
    expect(wrongPassword).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'password' })
    expect((await screen.fail('reauthenticate', { code: '000000' })).code).toBe('INVALID_CODE')
    expect((await screen.fail('enforceForAllUsers')).code).toBe('REAUTH_REQUIRED')
    const entries = (await screen.ok('listAudit', { user: 'admin@example.com' })).entries
    expect(entries.filter((entry) => entry.action === 'login.failure').map((entry) => entry.details.kind)).toEqual(['reauth-password'])
    expect(entries.filter((entry) => entry.action === 'login.second-factor-failure').map((entry) => entry.details.kind)).toEqual(['reauth-totp'])
  })

  it('wrong answers count toward the lockout: the 10th locks the account and ends the session', async () => {
    env = new TestEnv()
    const { screen } = await staleAdmin()
    for (let i = 1; i <= 9; i++) {
      const error = await screen.fail('reauthenticate', i % 2 === 0 ? { code: '000000' } : { password: `wrong password ${i}` })
      expect(error.code).not.toBe('ACCOUNT_LOCKED')
      expect(failedAttempts('admin@example.com')).toBe(i)
    }
    expect((await screen.fail('reauthenticate', { password: 'wrong again' })).code).toBe('ACCOUNT_LOCKED')
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    // Locked for everyone, including the right password at the login screen.
    expect((await env.screen().fail('login', { email: 'admin@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
  })

  it('the right answer ends a run of wrong ones', async () => {
    env = new TestEnv()
    const { screen } = await staleAdmin()
    for (let i = 0; i < 3; i++) await screen.fail('reauthenticate', { password: 'not my password' })
    expect(failedAttempts('admin@example.com')).toBe(3)
    await screen.ok('reauthenticate', { password: PASSWORD })
    expect(failedAttempts('admin@example.com')).toBe(0)
  })

  it('needs exactly one of password and code, a signed-in session, and is not for the command line', async () => {
    env = new TestEnv()
    const { screen } = await staleAdmin()
    expect((await screen.fail('reauthenticate', {})).code).toBe('VALIDATION')
    expect((await screen.fail('reauthenticate', { password: PASSWORD, code: '123456' })).code).toBe('VALIDATION')
    expect((await screen.fail('reauthenticate', { code: 'abc' })).code).toBe('VALIDATION')
    expect((await env.screen().fail('reauthenticate', { password: PASSWORD })).code).toBe('UNAUTHENTICATED')
    const cli = await env.core.dispatch('reauthenticate', { kind: 'cli' }, { password: PASSWORD })
    expect(cli.ok ? null : cli.error.code).toBe('FORBIDDEN')
  })
})

describe('installation warnings (no OS keychain)', () => {
  it('reach a signed-in administrator through getAppState, and nobody else', async () => {
    const warning = 'Warning: no OS keychain was found.'
    env = new TestEnv({ warnings: [warning] })
    const stranger = env.screen()
    expect((await stranger.ok('getAppState')).warnings).toBeUndefined()
    const admin = env.screen()
    await admin.ok('setupFirstAdmin', { name: 'Ada Admin', email: 'admin@example.com', password: PASSWORD })
    // Not yet signed in: 2FA must be activated first.
    expect((await admin.ok('getAppState')).warnings).toBeUndefined()
    await enroll(env, admin)
    expect((await admin.ok('getAppState')).warnings).toEqual([warning])

    await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await maria.ok('getAppState')).warnings).toBeUndefined()
  })

  it('are absent when there is nothing to warn about', async () => {
    env = new TestEnv()
    const { screen } = await setUpAdmin(env)
    expect((await screen.ok('getAppState')).warnings).toBeUndefined()
  })
})

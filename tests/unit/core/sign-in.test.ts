import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { addUser, enroll, PASSWORD, secretFromUri, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

describe('first run', () => {
  it('creates the first administrator, who must then activate 2FA like any enforced user', async () => {
    const screen = env.screen()
    expect((await screen.ok('getAppState')).needsSetup).toBe(true)
    const step = await screen.ok('setupFirstAdmin', { name: 'Ada', email: 'Ada@Example.com', password: PASSWORD })
    expect(step).toMatchObject({ step: 'enrollment-required', me: { email: 'ada@example.com', role: 'admin' } })
    expect((await screen.fail('listUsers')).code).toBe('ENROLLMENT_REQUIRED')
    await enroll(env, screen)
    expect((await screen.ok('listUsers')).total).toBe(1)
    expect((await env.screen().fail('setupFirstAdmin', { name: 'Eve', email: 'eve@example.com', password: PASSWORD })).code).toBe('ALREADY_SET_UP')
  })
})

describe('an enforced user signing in', () => {
  it('gets "enrollment required" and no session until a code confirms the authenticator; then 10 recovery codes', async () => {
    await setUpAdmin(env)
    const userId = await addUser(env, 'maria@example.com')
    await env.cli('setEnforcement', { userId, enforcement: 'enforced' })

    const screen = env.screen()
    const step = await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect(step.step).toBe('enrollment-required')
    // Not signed in yet: own-account pages are refused.
    expect((await screen.fail('getMyAccount')).code).toBe('ENROLLMENT_REQUIRED')
    expect((await screen.ok('getAppState')).session?.step).toBe('enrollment-required')

    const { recoveryCodes } = await enroll(env, screen)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/)
    expect((await screen.ok('getAppState')).session?.step).toBe('signed-in')
    expect((await screen.ok('getMyAccount')).status).toBe('active')
    expect((await env.cli('getUser', { userId })).status).toBe('active')
  })

  it('an enrollment left for more than 10 minutes cannot be confirmed', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const screen = env.screen()
    await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })
    const start = await screen.ok('startEnrollment')
    const secret = secretFromUri(start.otpauthUri)
    env.clock.advance(10 * 60 * 1000 + 1)
    expect((await screen.fail('confirmEnrollment', { code: codeAt(secret, env.clock.now()) })).code).toBe('ENROLLMENT_EXPIRED')
    expect((await screen.ok('getMyAccount')).status).toBe('inactive')
  })
})

describe('a user with active 2FA signing in', () => {
  async function enrolledUser(): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const screen = env.screen()
    expect((await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })).step).toBe('signed-in')
    const enrolled = await enroll(env, screen)
    await screen.ok('logout')
    return enrolled
  }

  it('needs a TOTP code after the password', async () => {
    const { secret } = await enrolledUser()
    const screen = env.screen()
    expect(await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })).toEqual({ step: 'second-factor', email: 'maria@example.com' })
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await screen.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })).step).toBe('signed-in')
    expect((await screen.ok('getMyAccount')).me.email).toBe('maria@example.com')
  })

  it('accepts each recovery code once', async () => {
    const { recoveryCodes } = await enrolledUser()
    const code = recoveryCodes[0] ?? ''
    const first = env.screen()
    await first.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await first.ok('verifyRecoveryCode', { code: code.toUpperCase() })).step).toBe('signed-in')
    expect((await first.ok('getMyAccount')).recoveryCodesRemaining).toBe(9)

    const second = env.screen()
    await second.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await second.fail('verifyRecoveryCode', { code })).code).toBe('INVALID_CODE')
    expect((await second.ok('verifyRecoveryCode', { code: recoveryCodes[1] ?? '' })).step).toBe('signed-in')
  })

  it('rejects a replayed code, also after the database is closed and opened again', async () => {
    const { secret } = await enrolledUser()
    const code = codeAt(secret, env.clock.now())
    const first = env.screen()
    await first.ok('login', { email: 'maria@example.com', password: PASSWORD })
    await first.ok('verifyCode', { code })

    const second = env.screen()
    await second.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await second.fail('verifyCode', { code })).code).toBe('CODE_REPLAYED')

    env.reopen()
    const third = env.screen()
    await third.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await third.fail('verifyCode', { code })).code).toBe('CODE_REPLAYED')
    // The next time step's code still works.
    env.clock.advance(30_000)
    expect((await third.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })).step).toBe('signed-in')
    const audit = await env.cli('listAudit', { action: 'login.replay-rejected' })
    expect(audit.entries).toHaveLength(2)
  })

  it('the code that confirmed enrollment cannot sign in again', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const screen = env.screen()
    await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })
    const start = await screen.ok('startEnrollment')
    const secret = secretFromUri(start.otpauthUri)
    const code = codeAt(secret, env.clock.now())
    await screen.ok('confirmEnrollment', { code })
    const again = env.screen()
    await again.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await again.fail('verifyCode', { code })).code).toBe('CODE_REPLAYED')
  })
})

describe('brute force', () => {
  it('locks the account after 10 failures, keeps it locked across a restart, and an admin unlock clears it', async () => {
    await setUpAdmin(env)
    const userId = await addUser(env, 'maria@example.com')
    const screen = env.screen()
    for (let i = 1; i <= 9; i++) {
      expect((await screen.fail('login', { email: 'maria@example.com', password: `wrong password ${i}` })).code).toBe('INVALID_CREDENTIALS')
    }
    expect((await screen.fail('login', { email: 'maria@example.com', password: 'wrong password 10' })).code).toBe('ACCOUNT_LOCKED')
    // Even the right password is refused while locked.
    expect((await screen.fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')

    env.reopen()
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
    expect((await env.cli('getUser', { userId })).locked).toBe(true)

    await env.cli('unlockUser', { userId })
    expect((await env.cli('getUser', { userId })).locked).toBe(false)
    expect((await env.screen().ok('login', { email: 'maria@example.com', password: PASSWORD })).step).toBe('signed-in')
  })

  it('counts wrong codes and wrong passwords on one counter, so re-entering the password buys no extra guesses', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    await env.cli('enforceForAllUsers')
    const setup = env.screen()
    await setup.ok('login', { email: 'maria@example.com', password: PASSWORD })
    await enroll(env, setup)
    for (let round = 0; round < 3; round++) {
      const screen = env.screen()
      await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })
      for (let i = 0; i < 3; i++) expect((await screen.fail('verifyCode', { code: '000000' })).code).toBe('INVALID_CODE')
    }
    const last = env.screen()
    await last.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await last.fail('verifyCode', { code: '000000' })).code).toBe('ACCOUNT_LOCKED')
  })

  it('unlocks by itself after 10 minutes', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const screen = env.screen()
    for (let i = 0; i < 10; i++) await screen.fail('login', { email: 'maria@example.com', password: 'wrong password!' })
    env.clock.advance(10 * 60 * 1000 + 1)
    expect((await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })).step).toBe('signed-in')
  })

  it('does not reveal whether an email exists: unknown emails fail and lock the same way', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const screen = env.screen()
    const known: string[] = []
    const unknown: string[] = []
    for (let i = 0; i < 11; i++) {
      const a = await screen.fail('login', { email: 'maria@example.com', password: 'wrong password!' })
      const b = await screen.fail('login', { email: 'nobody@example.com', password: 'wrong password!' })
      known.push(`${a.code}: ${a.message}`)
      unknown.push(`${b.code}: ${b.message}`)
    }
    expect(unknown).toEqual(known)
  })
})

describe('sessions', () => {
  it('end after 15 minutes without activity', async () => {
    const { screen } = await setUpAdmin(env)
    env.clock.advance(14 * 60 * 1000)
    await screen.ok('getMyAccount')
    env.clock.advance(15 * 60 * 1000 + 1)
    expect((await screen.fail('getMyAccount')).code).toBe('SESSION_EXPIRED')
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
  })

  it('log out', async () => {
    const { screen } = await setUpAdmin(env)
    await screen.ok('logout')
    expect((await screen.ok('getAppState')).session).toBeNull()
    expect((await screen.fail('listUsers')).code).toBe('UNAUTHENTICATED')
  })
})

describe('the end of a session in the audit log', () => {
  const actions = (email: string) =>
    env.db.prepare('SELECT action, details FROM audit_log WHERE target = ? ORDER BY id').all(email) as { action: string; details: string }[]

  it('records Log out as a logout, and the screen\'s idle sign-out as an expired session', async () => {
    const { screen } = await setUpAdmin(env)
    await screen.ok('logout', { reason: 'idle' })
    expect(actions('admin@example.com').at(-1)).toEqual({ action: 'session.expired', details: '{"reason":"idle"}' })
    expect((await screen.ok('getAppState')).session).toBeNull()

    const again = env.screen()
    await again.ok('login', { email: 'admin@example.com', password: PASSWORD })
    await again.fail('logout', { reason: 'asleep' })
    await again.ok('logout')
    expect(actions('admin@example.com').at(-1)?.action).toBe('logout')
  })

  it('records a session that timed out on the server once, when it is next used', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const screen = env.screen()
    await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })
    env.clock.advance(16 * 60 * 1000)
    expect((await screen.fail('getMyAccount')).code).toBe('SESSION_EXPIRED')
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    const expired = actions('maria@example.com').filter((entry) => entry.action === 'session.expired')
    expect(expired).toEqual([{ action: 'session.expired', details: '{"reason":"timeout"}' }])
  })
})

// The attacks of issue 9 on guessing, performed as an attacker would: many
// attempts at once through the dispatcher and through the preview's HTTP
// bridge, guessing across lock periods, and telling accounts apart by time or
// message. Each of these passed on the build before the fix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiError } from '../../../src/shared/errors'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { FIRST_LOCK_MS, GUESSES_PER_LOCK, MAX_CONSECUTIVE_FAILURES } from '../../../src/main/core/lockout'
import type { PreviewServer } from '../../../src/server/preview-server'
import { BridgeTab, startBridge } from '../helpers/bridge'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

const ATTEMPTS = 60

/** Guesses that were evaluated and wrong, as the audit log records them. */
function evaluatedFailures(email: string, kinds: string[]): number {
  const rows = env.db.prepare("SELECT details FROM audit_log WHERE target = ? AND action IN ('login.failure', 'login.second-factor-failure')").all(email) as {
    details: string
  }[]
  return rows.filter((row) => kinds.includes((JSON.parse(row.details) as { kind?: string }).kind ?? '')).length
}

function lockState(email: string): { failed_attempts: number; lock_level: number; locked_until: number | null } {
  return env.db.prepare('SELECT failed_attempts, lock_level, locked_until FROM users WHERE email = ?').get(email) as never
}

async function signIn(email: string): Promise<Screen> {
  const screen = env.screen()
  await screen.ok('login', { email, password: PASSWORD })
  return screen
}

describe('sixty attempts at once', () => {
  it('through the dispatcher: at most 10 passwords are evaluated, the right one sent last is refused, the lock stays', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const attempts = Array.from({ length: ATTEMPTS }, (_, i) =>
      env.screen().call('login', { email: 'maria@example.com', password: i === ATTEMPTS - 1 ? PASSWORD : `wrong guess ${i}` })
    )
    const results = await Promise.all(attempts)
    expect(results.filter((result) => result.ok)).toEqual([])
    expect(evaluatedFailures('maria@example.com', ['password'])).toBeLessThanOrEqual(GUESSES_PER_LOCK)
    expect(results.at(-1)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } })
    const state = lockState('maria@example.com')
    expect(state.failed_attempts).toBeGreaterThanOrEqual(GUESSES_PER_LOCK)
    expect(state.locked_until).toBeGreaterThan(env.clock.now())
    // And still locked for the right password afterwards.
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
  })

  it('through the HTTP bridge, each attempt a tab of its own: the same', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const server: PreviewServer = await startBridge(env)
    try {
      const replies = await Promise.all(
        Array.from({ length: ATTEMPTS }, (_, i) =>
          new BridgeTab(server).post('login', { email: 'maria@example.com', password: i === ATTEMPTS - 1 ? PASSWORD : `wrong guess ${i}` })
        )
      )
      expect(replies.filter((reply) => reply.body.ok)).toEqual([])
      expect(replies.at(-1)?.body).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } })
      expect(evaluatedFailures('maria@example.com', ['password'])).toBeLessThanOrEqual(GUESSES_PER_LOCK)
      expect(lockState('maria@example.com').locked_until).toBeGreaterThan(env.clock.now())
    } finally {
      await server.close()
    }
  })

  it('codes at the second factor: at most 10 evaluated across sixty signed-in-by-password sessions', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const maria = await signIn('maria@example.com')
    await enroll(env, maria)
    await maria.ok('logout')
    const sessions: Screen[] = []
    for (let i = 0; i < ATTEMPTS; i++) sessions.push(await signIn('maria@example.com'))
    const results = await Promise.all(sessions.map((session, i) => session.call('verifyCode', { code: String(100000 + i) })))
    expect(results.filter((result) => result.ok)).toEqual([])
    expect(evaluatedFailures('maria@example.com', ['totp'])).toBeLessThanOrEqual(GUESSES_PER_LOCK)
    expect(lockState('maria@example.com').locked_until).toBeGreaterThan(env.clock.now())
  })

  it('recovery codes, enrollment codes and re-authentication go through the same counter', async () => {
    const { screen: admin } = await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    await addUser(env, 'tom@example.com')
    await env.cli('setEnforcement', { userId: 3, enforcement: 'enforced' })

    // Recovery codes, at once.
    const maria = await signIn('maria@example.com')
    await enroll(env, maria)
    await maria.ok('logout')
    const waiting: Screen[] = []
    for (let i = 0; i < 30; i++) waiting.push(await signIn('maria@example.com'))
    const recovery = await Promise.all(waiting.map((session, i) => session.call('verifyRecoveryCode', { code: `aaaaa-${String(i).padStart(5, '0')}` })))
    expect(recovery.filter((result) => result.ok)).toEqual([])
    expect(evaluatedFailures('maria@example.com', ['recovery-code'])).toBeLessThanOrEqual(GUESSES_PER_LOCK)

    // Enrollment codes of an enforced user who has not activated 2FA yet: at once, then locked.
    const tom = await signIn('tom@example.com')
    await tom.ok('startEnrollment')
    const confirms = await Promise.all(Array.from({ length: 30 }, (_, i) => tom.call('confirmEnrollment', { code: String(200000 + i) })))
    expect(confirms.filter((result) => result.ok)).toEqual([])
    expect(evaluatedFailures('tom@example.com', ['enrollment-code'])).toBeLessThanOrEqual(GUESSES_PER_LOCK)
    expect(lockState('tom@example.com').locked_until).toBeGreaterThan(env.clock.now())
    // A locked account cannot start an enrollment either.
    expect((await env.screen().fail('login', { email: 'tom@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')

    // Re-authentication with a password, at once.
    const reauth = await Promise.all(Array.from({ length: 30 }, (_, i) => admin.call('reauthenticate', { password: `wrong ${i}` })))
    expect(reauth.filter((result) => result.ok)).toEqual([])
    expect(evaluatedFailures('admin@example.com', ['reauth-password'])).toBeLessThanOrEqual(GUESSES_PER_LOCK)
  })

  it('a right password that finishes after another attempt locked the account is refused', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    // The right password is on its way (its password check is running) ...
    const right = env.screen().call('login', { email: 'maria@example.com', password: PASSWORD })
    // ... when failures elsewhere (another process) lock the account.
    env.db.prepare('UPDATE users SET failed_attempts = 10, lock_level = 1, locked_until = ? WHERE email = ?').run(env.clock.now() + FIRST_LOCK_MS, 'maria@example.com')
    expect(await right).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } })
  })
})

describe('guessing without end', () => {
  async function wrongPasswords(count: number): Promise<ApiError[]> {
    const errors: ApiError[] = []
    for (let i = 0; i < count; i++) errors.push(await env.screen().fail('login', { email: 'maria@example.com', password: `wrong ${i}` }))
    return errors
  }

  it('keeps counting across locks, each lock longer, and after 100 failures only an administrator unlocks', async () => {
    await setUpAdmin(env)
    const mariaId = await addUser(env, 'maria@example.com')
    await wrongPasswords(GUESSES_PER_LOCK)
    const first = lockState('maria@example.com')
    expect(first.locked_until).toBe(env.clock.now() + FIRST_LOCK_MS)
    expect((await env.cli('getUser', { userId: mariaId })).lockedUntil).toBe(env.clock.now() + FIRST_LOCK_MS)
    env.clock.advance(FIRST_LOCK_MS + 1)
    // The next wrong guess is the 11th of the run, not the 1st.
    await wrongPasswords(1)
    expect(lockState('maria@example.com').failed_attempts).toBe(GUESSES_PER_LOCK + 1)
    await wrongPasswords(GUESSES_PER_LOCK - 1)
    const second = lockState('maria@example.com')
    expect(second.locked_until).toBe(env.clock.now() + 2 * FIRST_LOCK_MS)

    // On to 100, each lock waited out.
    while (lockState('maria@example.com').failed_attempts < MAX_CONSECUTIVE_FAILURES) {
      const state = lockState('maria@example.com')
      if (state.locked_until !== null && state.locked_until > env.clock.now()) env.clock.set(state.locked_until + 1)
      await wrongPasswords(1)
    }
    env.clock.advance(365 * 24 * 60 * 60 * 1000)
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).message).toMatch(/until an administrator unlocks it/)
    // The screens and the CLI are told it has no end, not a date far in the future.
    expect(await env.cli('getUser', { userId: mariaId })).toMatchObject({ locked: true, failedAttempts: MAX_CONSECUTIVE_FAILURES, lockedUntil: 'unlock' })

    // An administrator's unlock ends it (from a screen it also needs a fresh password or code: reauthentication.test.ts).
    await env.cli('unlockUser', { userId: mariaId })
    expect((await env.screen().ok('login', { email: 'maria@example.com', password: PASSWORD })).step).toBe('signed-in')
    expect(lockState('maria@example.com')).toEqual({ failed_attempts: 0, lock_level: 0, locked_until: null })
  })

  it('only a completed sign-in resets the count: a right password before a wrong code does not', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const maria = await signIn('maria@example.com')
    const { secret } = await enroll(env, maria)
    await maria.ok('logout')
    for (let i = 0; i < 5; i++) {
      const session = await signIn('maria@example.com')
      await session.fail('verifyCode', { code: '000000' })
    }
    expect(lockState('maria@example.com').failed_attempts).toBe(5)
    const session = await signIn('maria@example.com')
    await session.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })
    expect(lockState('maria@example.com').failed_attempts).toBe(0)
  })
})

describe('telling accounts apart', () => {
  it('a locked account and an unknown email answer with the same message', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    for (let i = 0; i < GUESSES_PER_LOCK; i++) {
      await env.screen().call('login', { email: 'maria@example.com', password: `wrong ${i}` })
      await env.screen().call('login', { email: 'nobody@example.com', password: `wrong ${i}` })
    }
    const locked = await env.screen().fail('login', { email: 'maria@example.com', password: 'wrong again' })
    const unknown = await env.screen().fail('login', { email: 'nobody@example.com', password: 'wrong again' })
    expect(locked).toEqual(unknown)
    expect(locked.code).toBe('ACCOUNT_LOCKED')
  })

  it('through every lock, to the one only an administrator ends, a real account and an unknown email answer alike', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const answers = async (password: string) => {
      const real = await env.screen().call('login', { email: 'maria@example.com', password })
      const phantom = await env.screen().call('login', { email: 'nobody@example.com', password })
      return { real: real.ok ? 'signed in' : real.error, phantom: phantom.ok ? 'signed in' : phantom.error }
    }
    let level = 0
    for (let failure = 1; failure <= MAX_CONSECUTIVE_FAILURES; failure++) {
      const { real, phantom } = await answers(`wrong ${failure}`)
      expect(phantom, `failure ${failure}`).toEqual(real)
      if (failure % GUESSES_PER_LOCK !== 0) continue
      level++
      // Three minutes into the lock, refused the same way, counting down the same way.
      env.clock.advance(3 * 60_000)
      const during = await answers(`during lock ${level}`)
      expect(during.phantom, `lock ${level}`).toEqual(during.real)
      expect((during.real as ApiError).code).toBe('ACCOUNT_LOCKED')
      if (failure < MAX_CONSECUTIVE_FAILURES) env.clock.advance(FIRST_LOCK_MS * 2 ** (level - 1))
    }
    const last = await answers('after the last lock')
    expect(last.phantom).toEqual(last.real)
    expect((last.real as ApiError).message).toMatch(/until an administrator unlocks it/)
  }, 60_000)

  it('a locked account spends as long as a password check, like an unknown email', async () => {
    // A real cost, so the password check dominates what is timed.
    const slow = new TestEnv({ passwordKdf: { N: 2 ** 14, r: 8, p: 1 } })
    try {
      const admin = slow.screen()
      await admin.ok('setupFirstAdmin', { name: 'Ada', email: 'admin@example.com', password: PASSWORD })
      await slow.cli('createUser', { name: 'Maria', email: 'maria@example.com', role: 'user', password: PASSWORD })
      slow.db.prepare('UPDATE users SET failed_attempts = 10, lock_level = 1, locked_until = ? WHERE email = ?').run(slow.clock.now() + FIRST_LOCK_MS, 'maria@example.com')
      const time = async (email: string): Promise<number> => {
        const samples: number[] = []
        for (let i = 0; i < 5; i++) {
          const started = performance.now()
          await slow.screen().call('login', { email, password: 'a guess' })
          samples.push(performance.now() - started)
        }
        return samples.sort((a, b) => a - b)[2]!
      }
      const unknown = await time('nobody@example.com')
      const locked = await time('maria@example.com')
      // Before the fix the locked answer came back without any password check: a twentieth of the time.
      expect(locked).toBeGreaterThan(unknown * 0.5)
      expect(locked).toBeLessThan(unknown * 2)
    } finally {
      slow.dispose()
    }
  })

  it('a disabled account does not confirm that the password was right', async () => {
    await setUpAdmin(env)
    const mariaId = await addUser(env, 'maria@example.com')
    await env.cli('updateUser', { userId: mariaId, disabled: true })
    const right = await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })
    const wrong = await env.screen().fail('login', { email: 'maria@example.com', password: 'not it at all' })
    expect(right).toEqual(wrong)
  })
})

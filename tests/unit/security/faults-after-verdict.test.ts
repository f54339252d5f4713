// A fault of ours while the outcome of a checked secret is written (the disk
// full, the database damaged) must not change what the lockout counts:
// - a wrong secret stays counted when its failure cannot be written. A full disk
//   can refuse a failure's entry and still take a success's smaller one; were the
//   guess given back, the fault would be an answer ("wrong") with no limit;
// - a right secret is given back when its success cannot be written, so a fault
//   never locks the person out.
// The fault here is a trigger that refuses one kind of audit entry, so that the
// test picks exactly which write fails.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { GUESSES_PER_LOCK, UNSETTLED_AFTER_MS } from '../../../src/main/core/lockout'
import { PASSWORD, secretFromUri, setUpAdmin, TestEnv, userWith2fa, type Screen } from '../helpers/harness'

let env: TestEnv
const BOB = 'bob@example.com'

beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
})
afterEach(() => env.dispose())

/** From now on every audit entry of `action` fails to be written, and its whole transaction with it. */
function refuseEntries(action: string): void {
  env.db.exec(`CREATE TEMP TRIGGER refuse_${action.replace(/\W/g, '_')} BEFORE INSERT ON main.audit_log WHEN NEW.action = '${action}'
    BEGIN SELECT RAISE(ABORT, 'simulated fault: no room for this entry'); END`)
}

const state = (): { failed_attempts: number; locked_until: number | null } =>
  env.db.prepare('SELECT failed_attempts, locked_until FROM users WHERE email = ?').get(BOB) as never

/** Six digits that are no code of `secret` around now. */
function wrongCodes(secret: Buffer, count: number): string[] {
  const now = env.clock.now()
  const valid = new Set([-2, -1, 0, 1, 2].map((step) => codeAt(secret, now + step * 30_000)))
  const codes: string[] = []
  for (let n = 100_000; codes.length < count; n += 7_919) if (!valid.has(String(n))) codes.push(String(n))
  return codes
}

/** Sixty wrong codes at once, then the right one: how they were answered. */
async function attack(screen: Screen, method: 'verifyCode' | 'confirmEnrollment', secret: Buffer): Promise<{ answers: string[]; right: string }> {
  const results = await Promise.all(wrongCodes(secret, 60).map((code) => screen.call(method, { code })))
  const answers = results.map((result) => (result.ok ? 'ACCEPTED' : result.error.code))
  const right = await screen.call(method, { code: codeAt(secret, env.clock.now()) })
  return { answers, right: right.ok ? 'ACCEPTED' : right.error.code }
}

/** GUESSES_PER_LOCK wrong codes were checked; every other attempt was refused as locked. */
function expectLimitHeld(answers: string[]): void {
  expect(answers).not.toContain('ACCEPTED')
  // Each checked one faulted writing its failure (the fault answers, not "wrong code").
  expect(answers.filter((code) => code !== 'ACCOUNT_LOCKED')).toEqual(Array(GUESSES_PER_LOCK).fill('INTERNAL'))
}

describe('a wrong secret whose failure cannot be written stays counted', () => {
  it('sign-in codes: sixty at once are cut off at the limit, and the lost lock is earned later', async () => {
    const secret = await userWith2fa(env, BOB)
    const bob = env.screen()
    await bob.ok('login', { email: BOB, password: PASSWORD })
    refuseEntries('login.second-factor-failure')
    const { answers, right } = await attack(bob, 'verifyCode', secret)
    expectLimitHeld(answers)
    expect(state().failed_attempts).toBe(GUESSES_PER_LOCK)
    // The right code does not tell the attacker anything: the account is out of guesses.
    expect(right).toBe('ACCOUNT_LOCKED')
    // Later, the failure whose record was lost earns its lock (instead of refusing the account for ever).
    env.clock.advance(UNSETTLED_AFTER_MS + 1)
    const later = env.screen()
    expect((await later.fail('login', { email: BOB, password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
    expect(state().locked_until).not.toBeNull()
  })

  it('recovery codes: sixty at once are cut off at the limit', async () => {
    await userWith2fa(env, BOB)
    const bob = env.screen()
    await bob.ok('login', { email: BOB, password: PASSWORD })
    refuseEntries('login.second-factor-failure')
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => bob.call('verifyRecoveryCode', { code: `aaaaa-${String(i).padStart(5, '0')}` })))
    expectLimitHeld(results.map((result) => (result.ok ? 'ACCEPTED' : result.error.code)))
    expect(state().failed_attempts).toBe(GUESSES_PER_LOCK)
  })

  it('the first code of an enrollment: sixty at once are cut off at the limit', async () => {
    await env.cli('createUser', { name: 'Bob', email: BOB, role: 'user', password: PASSWORD })
    const bob = env.screen()
    await bob.ok('login', { email: BOB, password: PASSWORD })
    const start = await bob.ok('startEnrollment')
    const secret = secretFromUri(start.otpauthUri)
    refuseEntries('login.second-factor-failure')
    const { answers } = await attack(bob, 'confirmEnrollment', secret)
    expectLimitHeld(answers)
    expect(state().failed_attempts).toBe(GUESSES_PER_LOCK)
  })

  it('replayed codes whose rejection cannot be written: sixty at once are cut off at the limit', async () => {
    const secret = await userWith2fa(env, BOB)
    const first = env.screen()
    await first.ok('login', { email: BOB, password: PASSWORD })
    const code = codeAt(secret, env.clock.now())
    await first.ok('verifyCode', { code })
    const again = env.screen()
    await again.ok('login', { email: BOB, password: PASSWORD })
    refuseEntries('login.replay-rejected')
    const results = await Promise.all(Array.from({ length: 60 }, () => again.call('verifyCode', { code })))
    expectLimitHeld(results.map((result) => (result.ok ? 'ACCEPTED' : result.error.code)))
    expect(state().failed_attempts).toBe(GUESSES_PER_LOCK)
  })

  it('the lock a lost failure earns ends the sessions, as any lock does', async () => {
    const secret = await userWith2fa(env, BOB)
    const bob = env.screen()
    await bob.ok('login', { email: BOB, password: PASSWORD })
    await bob.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })
    // Someone at Bob's unlocked desk guesses "Confirm it's you" while failures cannot be written.
    refuseEntries('login.failure')
    for (let i = 0; i < GUESSES_PER_LOCK; i++) expect((await bob.fail('reauthenticate', { password: `guess number ${i}` })).code).toBe('INTERNAL')
    expect((await bob.fail('reauthenticate', { password: 'one more guess' })).code).toBe('ACCOUNT_LOCKED')
    env.clock.advance(UNSETTLED_AFTER_MS + 1)
    expect((await env.screen().fail('login', { email: BOB, password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
    expect((await bob.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
  })
})

describe('a right secret whose success cannot be written is given back', () => {
  it('re-authenticating with the right password ten times under a fault locks nobody out', async () => {
    const secret = await userWith2fa(env, BOB)
    const bob = env.screen()
    await bob.ok('login', { email: BOB, password: PASSWORD })
    await bob.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })
    refuseEntries('session.reauthenticated')
    for (let i = 0; i < GUESSES_PER_LOCK + 2; i++) {
      const answer = await bob.call('reauthenticate', { password: PASSWORD })
      expect(answer.ok).toBe(false)
      expect(answer.ok ? '' : answer.error.code).not.toBe('ACCOUNT_LOCKED')
    }
    expect(state().failed_attempts).toBe(0)
    env.db.exec('DROP TRIGGER temp.refuse_session_reauthenticated')
    await bob.ok('reauthenticate', { password: PASSWORD })
  })

  it('changing the password with the right current one under a fault locks nobody out', async () => {
    await env.cli('createUser', { name: 'Bob', email: BOB, role: 'user', password: PASSWORD })
    const bob = env.screen()
    await bob.ok('login', { email: BOB, password: PASSWORD })
    refuseEntries('user.password-changed')
    for (let i = 0; i < GUESSES_PER_LOCK + 2; i++) {
      const answer = await bob.call('changePassword', { currentPassword: PASSWORD, newPassword: 'a much longer new passphrase 7' })
      expect(answer.ok ? '' : answer.error.code).not.toBe('ACCOUNT_LOCKED')
    }
    expect(state().failed_attempts).toBe(0)
    expect((await env.screen().call('login', { email: BOB, password: PASSWORD })).ok).toBe(true)
  })
})

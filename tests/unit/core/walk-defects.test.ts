// The core's part of the defects found on the walk (issue 13, section 4): a
// wrong code says how many attempts are left before the lock (also when many
// arrive at once), an administrator who demotes themselves keeps their session
// with a user's rights, and the idle timeout is a setting of the directory
// (5 to 60 minutes, audited, re-authenticated) that the guards enforce.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { idleTimeoutMs } from '../../../src/main/core/sessions'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

/** Maria with 2FA active, and a screen of hers at the second factor. */
async function mariaAtSecondFactor(): Promise<Screen> {
  await setUpAdmin(env)
  await addUser(env, 'maria@example.com')
  const setup = env.screen()
  await setup.ok('login', { email: 'maria@example.com', password: PASSWORD })
  await enroll(env, setup)
  const screen = env.screen()
  expect((await screen.ok('login', { email: 'maria@example.com', password: PASSWORD })).step).toBe('second-factor')
  return screen
}

describe('a wrong code says how many attempts are left before the lock', () => {
  it('carries attemptsLeft on every wrong code and says "3 attempts left" only when few remain; the 10th locks', async () => {
    const screen = await mariaAtSecondFactor()
    const left: number[] = []
    for (let i = 0; i < 9; i++) {
      const error = await screen.fail('verifyCode', { code: '000000' })
      expect(error.code).toBe('INVALID_CODE')
      left.push(error.attemptsLeft ?? -1)
      if ((error.attemptsLeft ?? 99) > 3) expect(error.message).not.toMatch(/attempts? left/)
    }
    expect(left).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1])
    const locked = await screen.fail('verifyCode', { code: '000000' })
    expect(locked.code).toBe('ACCOUNT_LOCKED')
    expect(locked.attemptsLeft).toBeUndefined()
  })

  it('words the last attempts: "3 attempts left", "2 attempts left", "1 attempt left"', async () => {
    const screen = await mariaAtSecondFactor()
    const messages: string[] = []
    for (let i = 0; i < 9; i++) messages.push((await screen.fail('verifyCode', { code: '000000' })).message)
    expect(messages.slice(6)).toEqual([
      'That code is not correct. Enter the current code from your authenticator app. 3 attempts left before sign-in is locked.',
      'That code is not correct. Enter the current code from your authenticator app. 2 attempts left before sign-in is locked.',
      'That code is not correct. Enter the current code from your authenticator app. 1 attempt left before sign-in is locked.'
    ])
  })

  it('a recovery code counts the same way', async () => {
    const screen = await mariaAtSecondFactor()
    for (let i = 0; i < 7; i++) await screen.fail('verifyRecoveryCode', { code: 'abcde-12345' })
    const error = await screen.fail('verifyRecoveryCode', { code: 'abcde-12345' })
    expect(error).toMatchObject({ code: 'INVALID_CODE', attemptsLeft: 2 })
    expect(error.message).toContain('2 attempts left')
  })

  it('many wrong codes at once: never more than the rule allows evaluated, and no count promised twice', async () => {
    const screen = await mariaAtSecondFactor()
    const results = await Promise.all(Array.from({ length: 25 }, () => screen.call('verifyCode', { code: '000000' })))
    const errors = results.map((result) => (result.ok ? null : result.error))
    const wrong = errors.filter((error) => error?.code === 'INVALID_CODE')
    const locked = errors.filter((error) => error?.code === 'ACCOUNT_LOCKED' || error?.code === 'UNAUTHENTICATED')
    expect(wrong.length).toBeLessThanOrEqual(9)
    expect(wrong.length + locked.length).toBe(25)
    const counts = wrong.map((error) => error!.attemptsLeft)
    expect(new Set(counts).size).toBe(counts.length)
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(1)
    // The account is locked now, even for the right code on a new sign-in.
    expect((await env.screen().fail('login', { email: 'maria@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
  })
})

describe('a wrong password of the signed-in person says how many attempts are left too', () => {
  it('"Confirm it\'s you": attemptsLeft on every wrong password, the warning when few remain; the 10th locks and ends the session', async () => {
    const { screen: ada } = await setUpAdmin(env)
    const left: number[] = []
    for (let i = 0; i < 9; i++) {
      const error = await ada.fail('reauthenticate', { password: 'not the password' })
      expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'password' })
      left.push(error.attemptsLeft ?? -1)
      if (error.attemptsLeft === 2) expect(error.message).toBe('That password is not correct. 2 attempts left before sign-in is locked.')
      if ((error.attemptsLeft ?? 99) > 3) expect(error.message).toBe('That password is not correct.')
    }
    expect(left).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1])
    expect((await ada.fail('reauthenticate', { password: 'not the password' })).code).toBe('ACCOUNT_LOCKED')
    expect((await ada.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
  })

  it('changing one\'s own password with a wrong current password counts down the same way', async () => {
    const { screen: ada } = await setUpAdmin(env)
    const error = await ada.fail('changePassword', { currentPassword: 'not the password', newPassword: 'a brand new passphrase 42' })
    expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'currentPassword', attemptsLeft: 9 })
  })

  it('many wrong passwords at once: no count promised twice, never more wrong ones evaluated than the rule allows', async () => {
    const { screen: ada } = await setUpAdmin(env)
    const results = await Promise.all(Array.from({ length: 30 }, () => ada.call('reauthenticate', { password: 'not the password' })))
    const errors = results.map((result) => (result.ok ? null : result.error))
    expect(errors.every((error) => error !== null)).toBe(true)
    const counts = errors.filter((error) => error?.code === 'INVALID_CREDENTIALS').map((error) => error!.attemptsLeft)
    expect(counts.length).toBeLessThanOrEqual(9)
    expect(new Set(counts).size).toBe(counts.length)
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(1)
    expect((await env.screen().fail('login', { email: 'admin@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
  })
})

describe('an administrator who demotes themselves', () => {
  it('keeps their own session with a user’s rights at once; their other sessions end', async () => {
    const { screen: ada, secret } = await setUpAdmin(env)
    await addUser(env, 'bob@example.com', 'admin')
    const adaId = (await ada.ok('getMyAccount')).me.id
    // Another window of Ada's.
    const other = env.screen()
    await other.ok('login', { email: 'admin@example.com', password: PASSWORD })
    await other.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })

    const demoted = await ada.ok('updateUser', { userId: adaId, role: 'user' })
    expect(demoted.role).toBe('user')
    const state = await ada.ok('getAppState')
    expect(state.session).toMatchObject({ step: 'signed-in', me: { role: 'user' } })
    expect((await ada.ok('getMyAccount')).me.role).toBe('user')
    expect((await ada.fail('listUsers')).code).toBe('FORBIDDEN')
    expect((await other.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
  })
})

describe('the idle timeout', () => {
  it('is 15 minutes until an administrator sets 5 to 60; anything else is refused with a clear error and changes nothing', async () => {
    const { screen } = await setUpAdmin(env)
    expect((await screen.ok('getAppState')).idleTimeoutMinutes).toBe(15)
    for (const minutes of [4, 61, 0, 7.5]) {
      const error = await screen.fail('setIdleTimeout', { minutes })
      expect(error).toMatchObject({ code: 'VALIDATION', field: 'minutes', message: 'The idle timeout is a whole number of minutes from 5 to 60.' })
    }
    expect((await screen.fail('setIdleTimeout', { minutes: '30' })).code).toBe('VALIDATION')
    expect((await screen.ok('getAppState')).idleTimeoutMinutes).toBe(15)
    expect(await screen.ok('setIdleTimeout', { minutes: 30 })).toEqual({ idleTimeoutMinutes: 30 })
    const state = await screen.ok('getAppState')
    expect(state).toMatchObject({ idleTimeoutMinutes: 30, idleTimeoutMs: 30 * 60_000 })
    const entries = (await screen.ok('listAudit', { action: 'settings.idle-timeout-changed' })).entries
    expect(entries.map((entry) => [entry.actor, entry.details])).toEqual([['admin@example.com', { from: 15, to: 30 }]])
  })

  it('is for administrators only, with a recent password or code; the command line may set it', async () => {
    const { screen } = await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect((await maria.fail('setIdleTimeout', { minutes: 30 })).code).toBe('FORBIDDEN')
    env.clock.advance(5 * 60_000 + 1)
    expect((await screen.fail('setIdleTimeout', { minutes: 60 })).code).toBe('REAUTH_REQUIRED')
    expect((await screen.ok('getAppState')).idleTimeoutMinutes).toBe(15)
    expect(await env.cli('setIdleTimeout', { minutes: 5 })).toEqual({ idleTimeoutMinutes: 5 })
  })

  it('is enforced by the guards: a session idle longer is refused, ended and logged as "session.expired", not as a log out', async () => {
    const { screen } = await setUpAdmin(env)
    await screen.ok('setIdleTimeout', { minutes: 30 })
    env.clock.advance(29 * 60_000)
    expect((await screen.ok('getMyAccount')).me.email).toBe('admin@example.com')
    env.clock.advance(30 * 60_000 + 1)
    const expired = await screen.fail('getMyAccount')
    expect(expired).toMatchObject({ code: 'SESSION_EXPIRED', message: 'You were signed out after 30 minutes of inactivity. Log in again.' })
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    const actions = (await env.cli('listAudit', {})).entries.map((entry) => entry.action)
    expect(actions).toContain('session.expired')
    expect(actions).not.toContain('logout')
  })

  it("the screen's idle sign-out is logged as an expired session", async () => {
    const { screen } = await setUpAdmin(env)
    await screen.ok('logout', { reason: 'idle' })
    const entries = (await env.cli('listAudit', {})).entries
    expect(entries[0]).toMatchObject({ action: 'session.expired', details: { reason: 'idle' } })
    expect(entries.map((entry) => entry.action)).not.toContain('logout')
  })

  it('a host can only shorten it (the end-to-end tests), never lengthen it', () => {
    expect(idleTimeoutMs(15)).toBe(15 * 60_000)
    expect(idleTimeoutMs(15, 8_000)).toBe(8_000)
    expect(idleTimeoutMs(15, 3 * 60 * 60_000)).toBe(15 * 60_000)
    expect(idleTimeoutMs(15, Number.NaN)).toBe(15 * 60_000)
    expect(idleTimeoutMs(15, -1)).toBe(15 * 60_000)
  })
})

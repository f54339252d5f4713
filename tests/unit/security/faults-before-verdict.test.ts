// A fault of ours after a guess is reserved and before its secret is judged
// (the password pool full, so no password can be hashed or checked) counts no
// guess: the reservation is given back, so faults alone never lock anyone out.
// The password functions are wrapped so that the test turns the fault on.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { GUESSES_PER_LOCK } from '../../../src/main/core/lockout'
import type * as Passwords from '../../../src/main/core/crypto/passwords'
import { PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

/** Which of the two fail: hashing a new password, checking one. */
const fault = { hash: false, verify: false }
const busy = (): Promise<never> => Promise.reject(new AppError('DATABASE_BUSY', 'Too many sign-ins are being checked at once. Try again in a moment.'))
vi.mock('../../../src/main/core/crypto/passwords', async (original) => {
  const real = await original<typeof Passwords>()
  return {
    ...real,
    hashPassword: (...args: Parameters<typeof real.hashPassword>) => (fault.hash ? busy() : real.hashPassword(...args)),
    verifyPassword: (...args: Parameters<typeof real.verifyPassword>) => (fault.verify ? busy() : real.verifyPassword(...args))
  }
})

let env: TestEnv
let admin: Awaited<ReturnType<typeof setUpAdmin>>['screen']
const BOB = 'bob@example.com'
beforeEach(async () => {
  env = new TestEnv()
  admin = (await setUpAdmin(env)).screen
})
afterEach(() => {
  fault.hash = fault.verify = false
  env.dispose()
})

const failures = (): number => env.db.prepare('SELECT failed_attempts FROM users WHERE email = ?').pluck().get(BOB) as number

it('changing the password while no password can be hashed counts no guess', async () => {
  await env.cli('createUser', { name: 'Bob', email: BOB, role: 'user', password: PASSWORD })
  const bob = env.screen()
  await bob.ok('login', { email: BOB, password: PASSWORD })
  // The current password can be checked (and is right); the new one cannot be hashed.
  fault.hash = true
  for (let i = 0; i < GUESSES_PER_LOCK + 2; i++) {
    expect((await bob.fail('changePassword', { currentPassword: PASSWORD, newPassword: 'a much longer new passphrase 7' })).code).toBe('DATABASE_BUSY')
  }
  fault.hash = false
  expect(failures()).toBe(0)
  await bob.ok('changePassword', { currentPassword: PASSWORD, newPassword: 'a much longer new passphrase 7' })
})

it('signing in to an account with a pass and no password while no password can be checked counts no guess', async () => {
  await env.cli('importUsers', { csv: `email,name\n${BOB},Bob\n`, dryRun: false })
  const { pass } = await admin.ok('issueTemporaryPass', { userId: env.core.local.findUserIdByEmail(BOB) })
  fault.verify = true
  for (let i = 0; i < GUESSES_PER_LOCK + 2; i++) {
    expect((await env.screen().fail('login', { email: BOB, password: `not the pass ${i}` })).code).toBe('DATABASE_BUSY')
  }
  fault.verify = false
  expect(failures()).toBe(0)
  expect((await env.screen().ok('login', { email: BOB, password: pass })).step).toBe('temporary-pass')
})

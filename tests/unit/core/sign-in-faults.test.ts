// The app's own sign-in with the right password while another program (the
// RADIUS service, a command-line import) holds the directory's write lock past
// the busy timeout, taken after the guess was reserved: the answer is
// DATABASE_BUSY, and the guess is given back once the lock is free, so a fault
// of ours never counts against the person (as for RADIUS: radius-faults.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword, OWASP_SCRYPT } from '../../../src/main/core/crypto/passwords'
import { RELEASE_RETRY_MS } from '../../../src/main/core/lockout'
import { PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
  await env.cli('createUser', { name: 'Slow', email: 'slow@example.com', role: 'user', password: PASSWORD })
  // The real cost: time enough to take the lock while the password is checked.
  env.db.prepare("UPDATE users SET password_hash = ? WHERE email = 'slow@example.com'").run(await hashPassword(PASSWORD, OWASP_SCRYPT))
})
afterEach(() => env.dispose())

const failures = (): number => env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'slow@example.com'").pluck().get() as number

describe('a sign-in that meets another program’s write lock after its guess was reserved', () => {
  it('answers DATABASE_BUSY and gives the guess back once the lock is free; the next try signs in', async () => {
    const screen = env.screen()
    const login = screen.call('login', { email: 'slow@example.com', password: PASSWORD })
    for (const until = Date.now() + 10_000; failures() === 0 && Date.now() < until; ) await new Promise((next) => setImmediate(next))
    expect(failures(), 'the guess was never reserved').toBe(1)
    env.anotherProgramWrites()
    try {
      const result = await login
      expect(result.ok ? 'OK' : result.error.code).toBe('DATABASE_BUSY')
      expect(failures()).toBe(1)
    } finally {
      env.letGo()
    }
    for (const until = Date.now() + RELEASE_RETRY_MS * 3; failures() > 0 && Date.now() < until; ) await new Promise((next) => setTimeout(next, 50))
    expect(failures()).toBe(0)
    expect((await screen.call('login', { email: 'slow@example.com', password: PASSWORD })).ok).toBe(true)
  }, 30_000)
})

// A RADIUS sign-in that meets a fault of ours: another program (the app, during
// a bulk change or an import of thousands) holds the directory's write lock
// longer than the busy timeout. Found by reading the decision: the fault became
// an Access-Reject ("the password or code is not correct"), the guess reserved
// before the check stayed counted (ten such rejects locked the account of
// someone who typed everything right), and a challenge answered during it was
// used up. Now the decision throws (the service sends no answer and the client
// retransmits), the guess is given back once the lock is free, and the
// challenge stays for the retransmission.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { hashPassword, OWASP_SCRYPT } from '../../../src/main/core/crypto/passwords'
import { RELEASE_RETRY_MS } from '../../../src/main/core/lockout'
import { contextOf } from '../../../src/main/core/open-core'
import { CHALLENGE_TTL_MS } from '../../../src/main/core/radius/radius-sign-in'
import { PASSWORD, setUpAdmin, TestEnv, userWith2fa } from '../helpers/harness'

const VPN = { name: 'vpn', require2fa: false }

let env: TestEnv
let secret: Buffer
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
  secret = await userWith2fa(env, 'maria@example.com')
  env.clock.advance(30_000)
})
afterEach(() => env.dispose())

const decide = (password: string, state: Buffer | null = null) => env.core.local.radiusSignIn.decide(VPN, 'maria@example.com', password, state)
const code = () => codeAt(secret, env.clock.now())
const failures = (): number => env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'maria@example.com'").pluck().get() as number
const outcome = (decision: Promise<{ kind: string }>): Promise<string> =>
  decision.then(
    (answer) => answer.kind,
    (error: unknown) => `fault: ${(error as Error).message}`
  )

describe('a RADIUS sign-in while another program holds the write lock', () => {
  it('is not answered (no reject), counts nothing, and is accepted once the lock is free', async () => {
    env.anotherProgramWrites()
    expect(await outcome(decide(`${PASSWORD}${code()}`))).toMatch(/^fault: database is locked/)
    env.letGo()
    expect(failures()).toBe(0)
    expect(await outcome(decide(`${PASSWORD}${code()}`))).toBe('accept')
  })

  it('when the lock is taken after the guess was reserved: not answered, and the guess is given back once the lock is free', async () => {
    // A user whose password takes a real scrypt to check: time enough to take the lock mid-way.
    await env.cli('createUser', { name: 'Slow', email: 'slow@example.com', role: 'user', password: PASSWORD })
    env.db.prepare("UPDATE users SET password_hash = ? WHERE email = 'slow@example.com'").run(await slowHash())
    const slowFailures = (): number => env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'slow@example.com'").pluck().get() as number
    // Three earlier failures: the give-back must take off its own one, not more.
    env.db.prepare("UPDATE users SET failed_attempts = 3 WHERE email = 'slow@example.com'").run()
    const decision = outcome(env.core.local.radiusSignIn.decide(VPN, 'slow@example.com', PASSWORD, null))
    for (const until = Date.now() + 10_000; slowFailures() === 3 && Date.now() < until; ) await new Promise((next) => setImmediate(next))
    expect(slowFailures(), 'the guess was never reserved').toBe(4)
    env.anotherProgramWrites()
    expect(await decision).toMatch(/^fault: database is locked/)
    expect(slowFailures(), 'given back while the lock was still held').toBe(4)
    // The connection's own busy timeout again (5 s): a retry while the lock is still held must not block the thread that long.
    env.db.pragma('busy_timeout = 5000')
    let longestStall = 0
    let last = Date.now()
    const ticker = setInterval(() => {
      longestStall = Math.max(longestStall, Date.now() - last)
      last = Date.now()
    }, 20)
    await new Promise((next) => setTimeout(next, RELEASE_RETRY_MS + 600))
    clearInterval(ticker)
    expect(longestStall, 'a retry waited out the busy timeout on this thread').toBeLessThan(1_000)
    expect(slowFailures()).toBe(4)
    // A background task of this process takes the gate: the next retry waits its turn behind it.
    const release = await contextOf(env.core).writeGate.acquire()
    env.letGo()
    await new Promise((next) => setTimeout(next, RELEASE_RETRY_MS + 600))
    expect(slowFailures(), 'given back inside a background task’s turn').toBe(4)
    release()
    for (const until = Date.now() + 2_000; slowFailures() > 3 && Date.now() < until; ) await new Promise((next) => setTimeout(next, 20))
    await new Promise((next) => setTimeout(next, RELEASE_RETRY_MS + 500))
    expect(slowFailures(), 'given back more than once, or not at all').toBe(3)
    expect(await outcome(env.core.local.radiusSignIn.decide(VPN, 'slow@example.com', PASSWORD, null))).toBe('accept')
  }, 30_000)

  it('a wrong password whose failure cannot be recorded is not answered either (silence says nothing about the password), and stays counted', async () => {
    await env.cli('createUser', { name: 'Slow', email: 'slow@example.com', role: 'user', password: PASSWORD })
    env.db.prepare("UPDATE users SET password_hash = ? WHERE email = 'slow@example.com'").run(await slowHash())
    const slowFailures = (): number => env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'slow@example.com'").pluck().get() as number
    const decision = outcome(env.core.local.radiusSignIn.decide(VPN, 'slow@example.com', 'not the password', null))
    for (const until = Date.now() + 10_000; slowFailures() === 0 && Date.now() < until; ) await new Promise((next) => setImmediate(next))
    env.anotherProgramWrites()
    expect(await decision).toMatch(/^fault: database is locked/)
    env.letGo()
    await new Promise((next) => setTimeout(next, RELEASE_RETRY_MS + 500))
    expect(slowFailures()).toBe(1)
  }, 30_000)

  it('a challenge answered during the fault is kept: the retransmission after it is accepted', async () => {
    const challenge = await decide(PASSWORD)
    expect(challenge.kind).toBe('challenge')
    const state = challenge.kind === 'challenge' ? challenge.state : null
    env.anotherProgramWrites()
    expect(await outcome(decide(code(), state))).toMatch(/^fault: database is locked/)
    env.letGo()
    expect(failures()).toBe(0)
    expect(await outcome(decide(code(), state))).toBe('accept')
    // Still single use.
    env.clock.advance(30_000)
    expect(await outcome(decide(code(), state))).toBe('reject')
  })

  it('a challenge kept after a fault still expires', async () => {
    const challenge = await decide(PASSWORD)
    const state = challenge.kind === 'challenge' ? challenge.state : null
    env.anotherProgramWrites()
    expect(await outcome(decide(code(), state))).toMatch(/^fault/)
    env.letGo()
    env.clock.advance(CHALLENGE_TTL_MS + 1)
    expect(await decide(code(), state)).toMatchObject({ kind: 'reject', reason: 'expired or foreign State' })
  })
})

/** The hash of PASSWORD at the real cost (about 0.1-0.3 s to check), as an account created by the app has. */
function slowHash(): Promise<string> {
  return hashPassword(PASSWORD, OWASP_SCRYPT)
}

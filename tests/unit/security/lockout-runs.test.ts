// A guess is settled against the run of failures it was reserved in (schema 18,
// core/lockout.ts). Attacks on the seams of a reset: guesses in flight while an
// administrator unlocks, a give-back that lands after a reset, and a failure
// whose write is lost, so that its reservation is never settled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppError } from '../../../src/shared/errors'
import { currentPasswordHasher, hashPassword, OWASP_SCRYPT } from '../../../src/main/core/crypto/passwords'
import { confirmGuessInTransaction, failGuess, FIRST_LOCK_MS, GUESSES_PER_LOCK, releaseGuess, reserveGuess, UNSETTLED_AFTER_MS } from '../../../src/main/core/lockout'
import { contextOf } from '../../../src/main/core/open-core'
import { writeTransaction } from '../../../src/main/db/connection'
import { PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
let userId: number
const EMAIL = 'slow@example.com'

beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
  await env.cli('createUser', { name: 'Slow', email: EMAIL, role: 'user', password: PASSWORD })
  userId = env.db.prepare('SELECT id FROM users WHERE email = ?').pluck().get(EMAIL) as number
})
afterEach(() => env.dispose())

const state = (): { failed_attempts: number; lock_level: number; locked_until: number | null } =>
  env.db.prepare('SELECT failed_attempts, lock_level, locked_until FROM users WHERE id = ?').get(userId) as never
const failures = (): number => state().failed_attempts
const unlock = (): Promise<unknown> => env.cli('unlockUser', { userId })
const user = { id: 0, email: EMAIL }
const reserve = () => reserveGuess(contextOf(env.core), { ...user, id: userId })
const fail = (guess: ReturnType<typeof reserve>): number => {
  try {
    return failGuess(contextOf(env.core), guess, 'password')
  } catch (error) {
    if ((error as AppError).code === 'ACCOUNT_LOCKED') return 0
    throw error
  }
}
const refusal = (): string => {
  try {
    reserve()
    return 'reserved'
  } catch (error) {
    return (error as AppError).code
  }
}

/** The real password cost, so that a test can act while passwords are being checked. */
async function slowPassword(): Promise<void> {
  env.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(await hashPassword(PASSWORD, OWASP_SCRYPT), userId)
}

/**
 * Holds every password check of the pool until the returned function is called, so that none
 * of the guesses reserved can be settled before the test acts (on a loaded machine the first of
 * ten real checks could end before the unlock ran: it then counted in the run the unlock cleared).
 */
function holdPasswordChecks(): () => void {
  const hasher = currentPasswordHasher()
  if (hasher === null) throw new Error('the core holds no password pool')
  const derive = hasher.derive.bind(hasher)
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  hasher.derive = (...args) => gate.then(() => derive(...args))
  return () => {
    hasher.derive = derive
    release()
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const end = Date.now() + 10_000; !condition(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((next) => setImmediate(next))
  }
}

describe('guesses in flight across an administrator’s unlock', () => {
  it('sixty wrong passwords at once, unlocked while ten are being checked: those ten count in the new run and lock the account', async () => {
    await slowPassword()
    const releaseChecks = holdPasswordChecks()
    const attempts = Array.from({ length: 60 }, (_, i) => env.screen().call('login', { email: EMAIL, password: `wrong guess ${i}` }))
    await until(() => failures() === GUESSES_PER_LOCK, 'ten guesses are reserved')
    await unlock()
    expect(failures(), 'the unlock cleared the count').toBe(0)
    releaseChecks()
    const results = await Promise.all(attempts)
    expect(results.filter((result) => result.ok)).toEqual([])
    // Before, the ten failures found a cleared count and were never counted: ten free guesses per unlock, and no lock.
    expect(failures()).toBeGreaterThanOrEqual(GUESSES_PER_LOCK)
    expect(state().locked_until).toBeGreaterThan(env.clock.now())
    expect((await env.screen().fail('login', { email: EMAIL, password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
  }, 30_000)
})

describe('a give-back after a reset', () => {
  it('a guess that could not be checked, given back after an unlock, takes nothing off the failures since', async () => {
    const lost = reserve()
    await unlock()
    for (let i = 0; i < 3; i++) fail(reserve())
    expect(failures()).toBe(3)
    releaseGuess(contextOf(env.core), lost)
    expect(failures()).toBe(3)
  })

  it('a right password given back after the count was reset leaves the new run as it is; one of the same run is given back', async () => {
    const ctx = contextOf(env.core)
    const early = reserve()
    await unlock()
    fail(reserve())
    fail(reserve())
    writeTransaction(ctx.db, () => confirmGuessInTransaction(ctx, early, false))
    expect(failures()).toBe(2)
    const same = reserve()
    expect(failures()).toBe(3)
    writeTransaction(ctx.db, () => confirmGuessInTransaction(ctx, same, false))
    expect(failures()).toBe(2)
  })

  it('a reset by a completed sign-in is a new run too: an earlier reservation given back leaves it', async () => {
    const ctx = contextOf(env.core)
    const early = reserve()
    writeTransaction(ctx.db, () => confirmGuessInTransaction(ctx, reserve(), true))
    expect(failures()).toBe(0)
    fail(reserve())
    releaseGuess(ctx, early)
    expect(failures()).toBe(1)
  })
})

describe('a give-back leaves no trace', () => {
  const lastGuessAt = (): number | null => env.db.prepare('SELECT last_guess_at FROM users WHERE id = ?').pluck().get(userId) as number | null

  it('the newest reservation given back puts its time back; an older one given back leaves the newer time', () => {
    const ctx = contextOf(env.core)
    const first = env.clock.now()
    const a = reserve()
    env.clock.advance(1_000)
    const b = reserve()
    expect(lastGuessAt()).toBe(first + 1_000)
    releaseGuess(ctx, a)
    expect(lastGuessAt(), 'b is still being checked: its time stays').toBe(first + 1_000)
    releaseGuess(ctx, b)
    expect(lastGuessAt()).toBe(first)
    env.clock.advance(1_000)
    writeTransaction(ctx.db, () => confirmGuessInTransaction(ctx, reserve(), false))
    expect(lastGuessAt(), 'a right password before the second factor is given back the same way').toBe(first)
    expect(failures()).toBe(0)
  })
})

describe('a failure whose record is lost', () => {
  it('ten reservations never settled: refused while they may still be checked, then the lock the tenth failure earns, dated at it', () => {
    const reservedAt = env.clock.now()
    for (let i = 0; i < GUESSES_PER_LOCK; i++) reserve()
    env.clock.advance(60_000)
    expect(refusal(), 'guesses still being checked').toBe('ACCOUNT_LOCKED')
    expect(state().locked_until).toBeNull()
    env.clock.advance(UNSETTLED_AFTER_MS)
    expect(refusal()).toBe('ACCOUNT_LOCKED')
    expect(state()).toEqual({ failed_attempts: GUESSES_PER_LOCK, lock_level: 1, locked_until: reservedAt + FIRST_LOCK_MS })
    const entry = env.db.prepare("SELECT details FROM audit_log WHERE action = 'account.locked' AND target = ? ORDER BY id DESC").pluck().get(EMAIL) as string
    expect(JSON.parse(entry)).toMatchObject({ until: reservedAt + FIRST_LOCK_MS, cause: 'a failed attempt whose record was lost' })
    // Before, the account refused every guess until an administrator unlocked it.
    env.clock.advance(FIRST_LOCK_MS)
    expect(refusal()).toBe('reserved')
  })

  it('the tenth wrong password meets another program’s write lock as it is recorded: the account locks for the first period, not for ever', async () => {
    await slowPassword()
    env.db.prepare('UPDATE users SET failed_attempts = ? WHERE id = ?').run(GUESSES_PER_LOCK - 1, userId)
    const login = env.screen().call('login', { email: EMAIL, password: 'the tenth wrong guess' })
    await until(() => failures() === GUESSES_PER_LOCK, 'the tenth guess is reserved')
    env.anotherProgramWrites()
    try {
      const result = await login
      expect(result.ok ? 'OK' : result.error.code).toBe('DATABASE_BUSY')
    } finally {
      env.letGo()
    }
    expect(state()).toMatchObject({ failed_attempts: GUESSES_PER_LOCK, locked_until: null })
    env.clock.advance(FIRST_LOCK_MS + 1)
    const signIn = await env.screen().call('login', { email: EMAIL, password: PASSWORD })
    expect(signIn.ok ? 'OK' : signIn.error.code).toBe('OK')
  }, 30_000)
})

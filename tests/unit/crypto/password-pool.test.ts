// The password checks' own pool (src/main/core/crypto/password-pool.ts): a burst
// waits its turn in order, never more than the pool's threads run at once, the
// event loop and file reads stay free meanwhile, a full queue refuses at once
// and holds nothing, the keys are scrypt's own, and closing the core stops the threads.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'
import { PasswordHasher } from '../../../src/main/core/crypto/password-pool'
import {
  currentPasswordHasher,
  derivePasswordKey,
  hashPassword,
  holdPasswordHasher,
  OWASP_SCRYPT,
  verifyPassword,
  type ScryptParams
} from '../../../src/main/core/crypto/passwords'
import { addUser, FAST_KDF, PASSWORD, TestEnv } from '../helpers/harness'

/** 16 MiB, tens of milliseconds: long enough for the checks of a burst to overlap. */
const MEDIUM: ScryptParams = { N: 2 ** 14, r: 8, p: 1 }
const SALT = Buffer.alloc(16, 7)

const releases: (() => void)[] = []
const hashers: PasswordHasher[] = []
const envs: TestEnv[] = []

function hold(options: Parameters<typeof holdPasswordHasher>[0] = {}): PasswordHasher {
  releases.push(holdPasswordHasher(options))
  const hasher = currentPasswordHasher()
  if (hasher === null) throw new Error('No pool is held.')
  return hasher
}

function pool(options: ConstructorParameters<typeof PasswordHasher>[0]): PasswordHasher {
  const hasher = new PasswordHasher(options)
  hashers.push(hasher)
  return hasher
}

function job(password: string, params: ScryptParams = MEDIUM) {
  return { password, salt: SALT, keyLength: 32, ...params }
}

/** Counts how many derivations run at once, and in which order they start and end. */
function watcher() {
  let running = 0
  const seen = { most: 0, started: [] as number[], finished: [] as number[] }
  const observer = {
    started(seq: number) {
      running++
      seen.most = Math.max(seen.most, running)
      seen.started.push(seq)
    },
    finished(seq: number) {
      running--
      seen.finished.push(seq)
    }
  }
  return { seen, observer }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

afterEach(async () => {
  for (const env of envs.splice(0)) env.dispose()
  for (const release of releases.splice(0)) release()
  await Promise.all(hashers.splice(0).map((hasher) => hasher.close()))
  expect(currentPasswordHasher()).toBeNull()
})

describe('the password pool', () => {
  it('runs at most its threads at once, and serves a burst in the order it came', async () => {
    const { seen, observer } = watcher()
    const hasher = hold({ threads: 2, observer })
    const stored = await hashPassword(PASSWORD, MEDIUM)
    seen.started.length = 0
    seen.finished.length = 0
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => verifyPassword(i % 2 === 0 ? PASSWORD : 'wrong password', stored)))
    expect(verdicts).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 0))
    expect(seen.most).toBe(2)
    expect(seen.started).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(hasher.threads).toBe(2)
    expect([hasher.running, hasher.waiting]).toEqual([0, 0])

    // With one thread, they also end in the order they came.
    const one = pool({ threads: 1, observer: watcher().observer })
    const ended: number[] = []
    await Promise.all(Array.from({ length: 5 }, (_, i) => one.derive(job(`password ${i}`)).then(() => ended.push(i))))
    expect(ended).toEqual([0, 1, 2, 3, 4])
  })

  it('leaves the event loop and file reads free while 20 checks of the real cost run', async () => {
    hold({ threads: 2 })
    const stored = await hashPassword(PASSWORD, OWASP_SCRYPT)
    const env = new TestEnv()
    envs.push(env)
    const file = join(env.dir, 'small.txt')
    await writeFile(file, 'a small static file\n')

    let done = false
    const burst = Promise.all(Array.from({ length: 20 }, () => verifyPassword(PASSWORD, stored))).finally(() => {
      done = true
    })
    // A timer's turn of the event loop, and a read through libuv's thread pool, over and over until the burst ends.
    const turns: number[] = []
    const reads: number[] = []
    const loop = (async () => {
      while (!done) {
        const started = performance.now()
        await new Promise((resolve) => setTimeout(resolve, 1))
        turns.push(performance.now() - started)
      }
    })()
    const reading = (async () => {
      while (!done) {
        const started = performance.now()
        expect(await readFile(file, 'utf8')).toBe('a small static file\n')
        reads.push(performance.now() - started)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    expect(await burst).toEqual(Array.from({ length: 20 }, () => true))
    await Promise.all([loop, reading])
    // A test of blocking, not of speed: scrypt on the event loop would stall a turn for a whole check (300 ms and more), on
    // libuv's pool a read for several (seconds, in the bench); a busy two-core machine alone accounts for tens of milliseconds.
    expect(reads.length).toBeGreaterThan(20)
    // A single stall of a few hundred ms is a busy machine (other test files share the two cores); blocking shows in
    // most samples and in stalls of seconds.
    const longest = (samples: number[]) => samples.reduce((most, sample) => Math.max(most, sample), 0)
    const p90 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.9)] ?? 0
    expect(p90(turns)).toBeLessThan(100)
    expect(p90(reads)).toBeLessThan(100)
    expect(longest(turns)).toBeLessThan(1_000)
    expect(longest(reads)).toBeLessThan(1_000)
  }, 60_000)

  it('refuses a check beyond the queue at once, holding nothing for it', async () => {
    const hasher = pool({ threads: 1, maxWaiting: 2 })
    const accepted = [hasher.derive(job('a')), hasher.derive(job('b')), hasher.derive(job('c'))]
    expect([hasher.running, hasher.waiting]).toEqual([1, 2])
    const refused = await refusal(hasher.derive(job('d')))
    expect(refused.code).toBe('DATABASE_BUSY')
    expect(refused.message).toMatch(/Try again in a moment/)
    expect([hasher.running, hasher.waiting]).toEqual([1, 2])
    // A hash is never refused (the sign-in's timing hash must not fail): it waits its turn.
    const hash = hasher.derive(job('e'), { mayRefuse: false })
    expect(hasher.waiting).toBe(3)
    await Promise.all([...accepted, hash])
    expect([hasher.running, hasher.waiting]).toEqual([0, 0])
    await expect(hasher.derive(job('f'))).resolves.toHaveLength(32)
  })

  it('refuses sign-ins beyond the queue with DATABASE_BUSY, and counts no guess for them', async () => {
    hold({ threads: 1, maxWaiting: 1 })
    const env = new TestEnv()
    envs.push(env)
    await addUser(env, 'tom@example.com')
    const results = await Promise.all(Array.from({ length: 6 }, () => env.screen().call('login', { email: 'tom@example.com', password: 'not the password' })))
    const codes = results.map((result) => (result.ok ? 'ok' : result.error.code))
    const wrong = codes.filter((code) => code === 'INVALID_CREDENTIALS').length
    expect(codes.filter((code) => code === 'DATABASE_BUSY').length).toBeGreaterThan(0)
    expect(wrong + codes.filter((code) => code === 'DATABASE_BUSY').length).toBe(6)
    // Only the checks that ran count toward the lockout; a refused one gave its reservation back.
    expect(env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'tom@example.com'").pluck().get()).toBe(wrong)
    expect(await env.screen().ok('login', { email: 'tom@example.com', password: PASSWORD })).toMatchObject({ step: 'signed-in' })
  })

  it('derives the same keys as scrypt in this thread, so hashes made either way verify either way', async () => {
    const inThread = await hashPassword(PASSWORD, OWASP_SCRYPT)
    const hereKey = await derivePasswordKey('p\u00e4ssword', SALT, MEDIUM)
    const hasher = hold()
    const pooled = await hashPassword(PASSWORD, OWASP_SCRYPT)
    expect(hasher.threads).toBe(1)
    expect(await derivePasswordKey('pa\u0308ssword', SALT, MEDIUM)).toEqual(hereKey)
    expect(await verifyPassword(PASSWORD, inThread)).toBe(true)
    expect(await verifyPassword('correct horse batterY', inThread)).toBe(false)
    releases.splice(0).forEach((release) => release())
    expect(currentPasswordHasher()).toBeNull()
    expect(await verifyPassword(PASSWORD, pooled)).toBe(true)
    expect(await verifyPassword('correct horse batterY', pooled)).toBe(false)
  })

  it('reports a scrypt error from the worker as scrypt does here, and keeps serving', async () => {
    const hasher = hold({ threads: 1 })
    const bad = { N: 3, r: 8, p: 1 }
    const pooled = await derivePasswordKey('x', SALT, bad).catch((error: unknown) => error as Error & { code?: string })
    releases.splice(0).forEach((release) => release())
    const here = await derivePasswordKey('x', SALT, bad).catch((error: unknown) => error as Error & { code?: string })
    expect(pooled).toBeInstanceOf(Error)
    expect((pooled as { code?: string }).code).toBe((here as { code?: string }).code)
    expect(hasher.threads).toBe(1)
  })

  it('refuses a stored hash that claims more than 1 GiB, without deriving it', async () => {
    const { seen, observer } = watcher()
    hold({ observer })
    const salt = randomBytes(16).toString('base64')
    expect(await verifyPassword('x', `scrypt$${2 ** 21}$8$1$${salt}$AAAA`)).toBe(false)
    expect(await verifyPassword('x', `scrypt$1024$8$64$${salt}$AAAA`)).toBe(false)
    expect(seen.started).toEqual([])
  })
})

describe('the pool in the core', () => {
  it('carries the timing hash of unknown emails: they cost one check, as a known email does', async () => {
    const { seen, observer } = watcher()
    hold({ observer })
    const env = new TestEnv()
    envs.push(env)
    await addUser(env, 'tom@example.com')
    const checks = async (email: string): Promise<number> => {
      const before = seen.finished.length
      expect((await env.screen().fail('login', { email, password: 'not the password' })).code).toBe('INVALID_CREDENTIALS')
      return seen.finished.length - before
    }
    // The first unknown email also makes the dummy hash, once.
    expect(await checks('nobody@example.com')).toBe(2)
    expect(await checks('nobody@example.com')).toBe(1)
    expect(await checks('tom@example.com')).toBe(1)
  })

  it('is shared by the cores of a process and stopped when the last one closes', async () => {
    const first = new TestEnv()
    const second = new TestEnv()
    envs.push(first, second)
    await addUser(first, 'tom@example.com')
    await addUser(second, 'ann@example.com')
    const hasher = currentPasswordHasher()
    expect(hasher).not.toBeNull()
    await Promise.all([first.screen().ok('login', { email: 'tom@example.com', password: PASSWORD }), second.screen().ok('login', { email: 'ann@example.com', password: PASSWORD })])
    expect(hasher?.threads).toBe(2)
    first.dispose()
    expect(currentPasswordHasher()).toBe(hasher)
    expect(hasher?.threads).toBe(2)
    second.dispose()
    expect(currentPasswordHasher()).toBeNull()
    // Terminated, not only let go: every thread has exited.
    await vi.waitFor(() => expect(hasher?.threads).toBe(0))
    await expect(hasher?.derive(job('late'))).rejects.toMatchObject({ code: 'DATABASE_BUSY' })
  })

  it('runs on libuv as before when a core asks for no threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twofa-pool-'))
    const dbPath = join(dir, 'directory.db')
    const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: FAST_KDF, passwordThreads: 0 })
    try {
      expect(currentPasswordHasher()).toBeNull()
      const created = await core.dispatch('createUser', CLI_CALLER, { name: 'Tom', email: 'tom@example.com', role: 'user', password: PASSWORD })
      expect(created.ok).toBe(true)
      const login = await core.dispatch('login', { kind: 'session', holder: { sessionId: null } }, { email: 'tom@example.com', password: PASSWORD })
      expect(login).toMatchObject({ ok: true, value: { step: 'signed-in' } })
      expect(currentPasswordHasher()).toBeNull()
    } finally {
      core.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

// SIGKILL in the middle of writes: a worker process writes through the core
// (user creation, enforce/exempt, enforce and revoke for all, enrollment with
// a real code, 2FA reset, bulk enforcement changes) and is killed at a random
// moment, 100 times over. After every kill the directory must be whole.
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, startWorker } from './support/processes'

const ROUNDS = 100
/**
 * Enrollments confirmed over all rounds. Most rounds start one, but a round runs only
 * 5-255 ms after 'ready' and a fresh process needs 100-200 ms for its first enrollment
 * even with its QR encoder warmed (support/worker.ts), so only some finish: 7 to 35 per
 * run on a two-core machine at a load average of 3.5-5. 3 leaves room for a slower day
 * and still fails when enrollment stops working (0).
 */
const MIN_ENROLLMENTS = 3
/**
 * Users created over all rounds: 149 and 166 in two runs once the worker judged a password
 * before 'ready' (support/worker.ts); 0 before, when every first createUser was still
 * building the password-strength dictionaries at the kill.
 */
const MIN_CREATED = ROUNDS / 4
// A failing run can be repeated with CHAOS_SEED=<the printed seed>.
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31)

function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

let dir: string | undefined
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a process killed in the middle of writes', () => {
  it(`leaves a whole directory after each of ${ROUNDS} SIGKILLs at random moments (seed ${SEED})`, async () => {
    const next = seeded(SEED)
    const initial = Array.from({ length: 40 }, (_, i) => `seed-${i}@chaos.example`)
    const directory = await freshDirectory(initial)
    dir = directory.dir
    const acknowledged = new Set(initial)
    let duringStartup = 0
    let lastFacts = { users: 0, activeUsers: 0, enrollments: 0, auditEntries: 0, bulkBatches: 0 }

    for (let round = 0; round < ROUNDS; round++) {
      const worker = startWorker({ dbPath: directory.dbPath, tag: `r${round}`, seed: Math.floor(next() * 2 ** 31), operations: 0 })
      // Mostly while writing; sometimes while the process is still opening the database.
      if (next() < 0.15) duringStartup++
      else await worker.ready
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(next() * 250)))
      worker.kill()
      const exit = await worker.exited
      expect(exit.signal, `round ${round}: the worker ended on its own: ${exit.stderr}`).toBe('SIGKILL')
      for (const email of worker.acknowledged) acknowledged.add(email)

      const { problems, facts } = await checkDirectory(directory.dbPath, acknowledged)
      expect(problems, `round ${round} (seed ${SEED})`).toEqual([])
      lastFacts = facts
    }
    console.info(`kill test: seed ${SEED}, ${ROUNDS} kills (${duringStartup} during start-up), ${JSON.stringify(lastFacts, (key, value) => (key === 'emails' ? undefined : value))}`)
    // The rounds did real work: users were created, enrolled and changed in bulk. Enrollments
    // are counted from the audit log, ever confirmed: later rounds reset 2FA about as often as
    // they enroll, so how many users are still active at the end says little (often 0).
    expect(lastFacts.users - initial.length).toBeGreaterThanOrEqual(MIN_CREATED)
    expect(lastFacts.enrollments).toBeGreaterThanOrEqual(MIN_ENROLLMENTS)
    expect(lastFacts.bulkBatches).toBeGreaterThan(10)
  })
})

// A bulk change killed halfway (issue 13): the command line enforces 2FA for
// 10,000 users at once (`users enforce --status inactive`, one transaction,
// one audit entry each), or lets them follow the policy again, and is
// SIGKILLed at random moments. After every kill either every user changed or
// none did: their overrides, their audit entries (one per user per completed
// change, none of a killed one), the class counters against a recount, and the
// audit chain still verifies (checkDirectory).
import { spawn, spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { databaseOf } from '../../src/main/core/open-core'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, openDirectoryCore } from './support/processes'

const CLI = resolve(__dirname, '..', '..', 'bin', 'twofa-admin.cjs')
const USERS = 10_000
const ROUNDS = 8
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31)

let dir: string | undefined
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function prepare(): Promise<{ dir: string; dbPath: string }> {
  const directory = await freshDirectory()
  const file = join(directory.dir, 'people.csv')
  writeFileSync(file, ['email,name', ...Array.from({ length: USERS }, (_, i) => `person${i}@chaos.example,Person ${i}`)].join('\n'))
  const imported = spawnSync(process.execPath, [CLI, '--db', directory.dbPath, 'import', 'users', file], { encoding: 'utf8' })
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`)
  return directory
}

interface BulkState {
  enforced: number
  changeEntries: number
  countersExact: boolean
}

function bulkState(dbPath: string): BulkState {
  const core = openDirectoryCore(dbPath)
  try {
    const db = databaseOf(core)
    const enforced = db.prepare("SELECT count(*) FROM users WHERE enforcement = 'enforced'").pluck().get() as number
    const changeEntries = db.prepare("SELECT count(*) FROM audit_log WHERE action = 'enforcement.user-changed'").pluck().get() as number
    const counters = JSON.stringify(db.prepare('SELECT tfa_class, users FROM class_counts WHERE users > 0 ORDER BY tfa_class').all())
    const recount = JSON.stringify(db.prepare('SELECT tfa_class, count(*) AS users FROM users GROUP BY tfa_class ORDER BY tfa_class').all())
    return { enforced, changeEntries, countersExact: counters === recount }
  } finally {
    core.close()
  }
}

function runBulk(dbPath: string, args: string[], killAfterMs: number | null): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, [CLI, '--db', dbPath, 'users', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  return new Promise((done) =>
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      done({ code, signal, out })
    })
  )
}

describe('a bulk change of 10,000 users killed halfway', () => {
  it(`changes all or nothing across ${ROUNDS} SIGKILLs at random moments; counters and the audit chain stay exact (seed ${SEED})`, async () => {
    let state = SEED >>> 0
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    const directory = await prepare()
    dir = directory.dir
    // One whole change first, timed: the kills then fall at random points of a
    // run as long as that one (from start-up to commit), whatever this
    // machine's speed, so some rounds die before the commit.
    const started = Date.now()
    const first = await runBulk(directory.dbPath, ['enforce', '--status', 'inactive'], null)
    const wholeRunMs = Date.now() - started
    expect(first.code, first.out).toBe(0)
    expect(bulkState(directory.dbPath)).toEqual({ enforced: USERS, changeEntries: USERS, countersExact: true })
    let completed = 1
    let killedBefore = 0
    for (let round = 0; round < ROUNDS; round++) {
      // Enforce when nobody is enforced; else let everyone follow the policy again.
      const enforcing = bulkState(directory.dbPath).enforced === 0
      const killAfterMs = Math.floor(wholeRunMs * (0.1 + 0.8 * next()))
      const run = await runBulk(directory.dbPath, enforcing ? ['enforce', '--status', 'inactive'] : ['inherit', '--status', 'pending'], killAfterMs)
      const after = bulkState(directory.dbPath)
      const changed = enforcing ? after.enforced === USERS : after.enforced === 0
      expect([0, USERS], `round ${round}: a killed change left part of the users changed (${after.enforced})`).toContain(after.enforced)
      if (changed) completed++
      else {
        expect(run.signal, `round ${round}: nothing changed, yet the run was not killed: ${run.out}`).toBe('SIGKILL')
        killedBefore++
      }
      if (run.signal !== 'SIGKILL') expect(run.code, run.out).toBe(0)
      expect(after.changeEntries, `round ${round}: one audit entry per user of each completed change, none of a killed one`).toBe(completed * USERS)
      expect(after.countersExact, `round ${round}: the class counters disagree with a recount`).toBe(true)
      expect((await checkDirectory(directory.dbPath)).problems.slice(0, 5), `round ${round}`).toEqual([])
    }
    expect(killedBefore, 'no round killed the change before it finished: the test proved nothing').toBeGreaterThan(0)
    const enforcing = bulkState(directory.dbPath).enforced === 0
    const last = await runBulk(directory.dbPath, enforcing ? ['enforce', '--status', 'inactive'] : ['inherit', '--status', 'pending'], null)
    expect(last.code, last.out).toBe(0)
    expect(bulkState(directory.dbPath)).toEqual({ enforced: enforcing ? USERS : 0, changeEntries: (completed + 1) * USERS, countersExact: true })
  }, 300_000)
})

// Two processes writing the same directory at once (the desktop app and the
// CLI, or two admins' preview sessions): WAL and a busy timeout make them take
// turns. No update may be lost and the counts must stay exact.
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { databaseOf } from '../../src/main/core/open-core'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, openDirectoryCore, startWorker } from './support/processes'
import { TARGET_PREFIX, type WorkerReport } from './support/protocol'

const OPERATIONS_PER_WORKER = 600
const TARGETS = Array.from({ length: 15 }, (_, i) => `${TARGET_PREFIX}${i}@chaos.example`)
/** Per worker and target; two workers make 8 in all, below the lock at 10. */
const FAILED_LOGINS = 4
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31)

let dir: string | undefined
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('two processes writing the same directory', () => {
  it(`lose no update and keep the counts exact (seed ${SEED})`, async () => {
    const initial = Array.from({ length: 30 }, (_, i) => `seed-${i}@chaos.example`)
    const directory = await freshDirectory([...initial, ...TARGETS])
    dir = directory.dir
    const workers = ['a', 'b'].map((tag, index) =>
      startWorker({ dbPath: directory.dbPath, tag, seed: SEED + index, operations: OPERATIONS_PER_WORKER, targets: TARGETS, failedLoginsPerTarget: FAILED_LOGINS })
    )
    const exits = await Promise.all(workers.map((worker) => worker.exited))
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null })
    const reports = exits.map((exit) => exit.report as WorkerReport)
    // Nothing failed except the refusals the rules allow (a race lost cleanly); in particular no DATABASE_BUSY.
    for (const report of reports) expect(report.unexpected).toEqual([])

    const acknowledged = workers.flatMap((worker) => worker.acknowledged)
    const created = reports.reduce((sum, report) => sum + (report.done.create ?? 0), 0)
    expect(acknowledged).toHaveLength(created)
    const { problems, facts } = await checkDirectory(directory.dbPath, [...initial, ...TARGETS, ...acknowledged])
    expect(problems).toEqual([])
    // Every user each process created is there, and nothing else appeared.
    expect(facts.users).toBe(initial.length + TARGETS.length + created)
    expect(new Set(acknowledged).size).toBe(acknowledged.length)

    // A counter both processes increment (failed sign-ins of the same accounts): every increment is there.
    const core = openDirectoryCore(directory.dbPath)
    try {
      for (const email of TARGETS) {
        const row = databaseOf(core).prepare('SELECT failed_attempts, locked_until FROM users WHERE email = ?').get(email) as { failed_attempts: number; locked_until: number | null }
        expect(row, email).toEqual({ failed_attempts: 2 * FAILED_LOGINS, locked_until: null })
        const audited = databaseOf(core).prepare("SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND target = ?").pluck().get(email)
        expect(audited, email).toBe(2 * FAILED_LOGINS)
      }
      // Each successful enrollment and reset of either process left exactly one audit entry.
      const count = (action: string) => databaseOf(core).prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number
      const done = (name: keyof WorkerReport['done']) => reports.reduce((sum, report) => sum + (report.done[name] ?? 0), 0)
      expect(count('2fa.enrolled')).toBe(done('enroll'))
      expect(count('2fa.reset')).toBe(done('reset'))
      expect(count('user.created')).toBe(initial.length + TARGETS.length + created)
    } finally {
      core.close()
    }
    console.info(
      `concurrent writers: seed ${SEED}, ${JSON.stringify(reports.map((report) => ({ done: report.done, expected: report.expected })))}, ${facts.users} users, ${facts.auditEntries} audit entries`
    )
  })
})

// A bulk change's commit no longer copies its WAL into the database file before
// the change is answered: that checkpoint (0.15-0.2 s at 100,000 users) runs
// once the outcome is posted (TaskEnv.afterAnswer, background/runner.ts), on the
// task's own connection. What must hold: at the answer the change is committed
// (another connection reads it) while the file itself is not yet written, and
// by the time the task has ended the WAL has been copied into the file.
import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chainKeyOf } from '../../../src/main/core/audit/chain'
import { runTaskHere } from '../../../src/main/core/background/runner'
import { contextOf } from '../../../src/main/core/open-core'
import { setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

describe('a bulk change run as a task', () => {
  it('is answered committed before its checkpoint, which runs before the task ends', async () => {
    await setUpAdmin(env)
    env.core.local.seedDemo({ users: 6_000, seed: 2, force: true })
    const key = chainKeyOf(contextOf(env.core).dataKey.get())
    const adminId = env.db.prepare("SELECT id FROM users WHERE email = 'admin@example.com'").pluck().get() as number
    env.db.pragma('wal_checkpoint(TRUNCATE)')
    const fileBefore = statSync(env.dbPath).size
    const input = {
      selection: { filter: { status: 'inactive' as const } },
      action: 'enforce' as const,
      actor: { label: 'admin@example.com', userId: adminId },
      now: env.clock.now(),
      write: true,
      chainKey: key.toString('base64')
    }
    let atAnswer: { file: number; wal: number; enforced: number } | null = null
    const outcome = await runTaskHere('bulkChange', input, { path: env.dbPath }, undefined, undefined, (value) => {
      const reader = new Database(env.dbPath, { readonly: true })
      try {
        const enforced = reader.prepare("SELECT count(*) FROM users WHERE enforcement = 'enforced' AND id IN (SELECT value FROM json_each(?))").pluck().get(JSON.stringify(value.changedIds)) as number
        atAnswer = { file: statSync(env.dbPath).size, wal: statSync(`${env.dbPath}-wal`).size, enforced }
      } finally {
        reader.close()
      }
    })
    expect(outcome.changedIds.length).toBeGreaterThan(2_000)
    const answered = atAnswer as { file: number; wal: number; enforced: number } | null
    expect(answered).not.toBeNull()
    expect(answered!.enforced).toBe(outcome.changedIds.length)
    // Committed at the answer, all of it in the WAL (more than the 1,000 pages that checkpoint at a commit by default).
    expect(answered!.wal).toBeGreaterThan(1_000 * 4096)
    expect(answered!.file).toBe(fileBefore)
    // After the task, the checkpoint has written the change into the file.
    expect(statSync(env.dbPath).size).toBeGreaterThan(fileBefore)
  }, 120_000)
})

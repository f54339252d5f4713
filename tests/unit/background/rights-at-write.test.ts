// A bulk change of a filter, and a CSV import, run as background tasks that may
// read a file and wait their turn at the write gate behind another task. The
// handler checks the administrator when the task is asked for; one demoted or
// disabled by another administrator meanwhile must not have it written in their
// name. Checked when the task has its turn to write (the session, 2FA and role:
// guards.ts stillAdminWhenWriting, through BackgroundTasks.run's mayWrite), and
// the role again under the write lock (still-admin.ts, from
// bulk/run.ts and user-import/run-import.ts), found by a review of the gate.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
beforeEach(async () => {
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
  // Another administrator, so no last-admin rule is what stops anything.
  await addUser(env, 'other-admin@example.com', 'admin')
  for (let i = 0; i < 30; i++) await addUser(env, `member${i}@example.com`)
})
afterEach(() => env?.dispose())

const enforcedIndividually = (): number => env.db.prepare("SELECT count(*) FROM users WHERE enforcement = 'enforced'").pluck().get() as number

/** Runs `meanwhile` when the change's task asks for the write gate: after the handler's check, before its write. */
function whenTheChangeWaits(meanwhile: () => void): () => void {
  const gate = contextOf(env.core).writeGate
  const acquire = gate.acquire.bind(gate)
  gate.acquire = () => {
    meanwhile()
    return acquire()
  }
  return () => void (gate.acquire = acquire)
}

/**
 * Runs `call` with its admin demoted as the task asks for its turn and the check at the turn left
 * out, as if another process demoted them between it and the write transaction: the transaction's
 * own check must refuse.
 */
async function demotedAfterTheTurnsCheck(call: () => Promise<{ ok: boolean; error?: { code: string; message: string } }>): Promise<void> {
  const background = contextOf(env.core).background
  const run = background.run.bind(background)
  background.run = (name, input, onProgress, signal) => run(name, input, onProgress, signal)
  const restore = whenTheChangeWaits(() => env.db.exec("UPDATE users SET role = 'user' WHERE email = 'admin@example.com'"))
  try {
    const result = await call()
    expect(result.ok ? 'OK' : result.error!.code).toBe('FORBIDDEN')
    expect(result.ok ? '' : result.error!.message).toMatch(/rights were removed before this change could be written. Nothing was changed/)
  } finally {
    restore()
    background.run = run
  }
}

describe('the administrator behind a bulk change', () => {
  for (const [what, sql, code] of [
    ['demoted', "UPDATE users SET role = 'user' WHERE email = 'admin@example.com'", 'FORBIDDEN'],
    ['disabled', "UPDATE users SET disabled = 1 WHERE email = 'admin@example.com'", 'UNAUTHENTICATED']
  ] as const) {
    it(`${what} while the change waited for its turn: the change is refused and nothing is changed`, async () => {
      const before = enforcedIndividually()
      let asked = false
      const restore = whenTheChangeWaits(() => {
        asked = true
        env.db.exec(sql)
      })
      try {
        const result = await admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
        expect(asked, 'the change never asked for the write gate: it was not run as a task').toBe(true)
        expect(result.ok ? 'OK' : result.error.code).toBe(code)
      } finally {
        restore()
      }
      expect(enforcedIndividually()).toBe(before)
      expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'enforcement.user-changed'").pluck().get()).toBe(0)
    })
  }

  it('demoted after the turn’s check (by another process): the write transaction’s own check refuses', async () => {
    const before = enforcedIndividually()
    await demotedAfterTheTurnsCheck(() => admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' }))
    expect(enforcedIndividually()).toBe(before)
  })

  it('signed out while the change waited for its turn (their session ended): stopped before it writes', async () => {
    const before = enforcedIndividually()
    const sessions = contextOf(env.core).sessions
    const restore = whenTheChangeWaits(() => sessions.delete(admin.holder.sessionId!))
    try {
      const result = await admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
      expect(result.ok ? 'OK' : result.error.code).toBe('UNAUTHENTICATED')
    } finally {
      restore()
    }
    expect(enforcedIndividually()).toBe(before)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'enforcement.user-changed'").pluck().get()).toBe(0)
  })

  it('still an administrator when its turn comes: the change is applied', async () => {
    const restore = whenTheChangeWaits(() => undefined)
    try {
      const done = await admin.ok('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
      expect(done.willChange).toBe(30)
    } finally {
      restore()
    }
    expect(enforcedIndividually()).toBe(30)
  })

  it('an import whose administrator was demoted while it read the file: refused, no user created', async () => {
    const users = (): number => env.db.prepare('SELECT count(*) FROM users').pluck().get() as number
    const before = users()
    let asked = false
    const restore = whenTheChangeWaits(() => {
      asked = true
      env.db.exec("UPDATE users SET role = 'user' WHERE email = 'admin@example.com'")
    })
    try {
      const csv = ['email,name', ...Array.from({ length: 20 }, (_, i) => `new${i}@example.com,New ${i}`)].join('\n')
      const result = await admin.call('importUsers', { csv, dryRun: false })
      expect(asked, 'the import never asked for the write gate').toBe(true)
      expect(result.ok ? 'OK' : result.error.code).toBe('FORBIDDEN')
    } finally {
      restore()
    }
    expect(users()).toBe(before)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'users.imported' OR target LIKE 'new%'").pluck().get()).toBe(0)
  })

  it('an import whose administrator was demoted after the turn’s check (by another process): its write transaction’s own check refuses', async () => {
    const users = (): number => env.db.prepare('SELECT count(*) FROM users').pluck().get() as number
    const before = users()
    const csv = ['email,name', ...Array.from({ length: 20 }, (_, i) => `late${i}@example.com,Late ${i}`)].join('\n')
    await demotedAfterTheTurnsCheck(() => admin.call('importUsers', { csv, dryRun: false }))
    expect(users()).toBe(before)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'users.imported' OR target LIKE 'late%'").pluck().get()).toBe(0)
  })
})

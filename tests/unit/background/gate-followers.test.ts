// Work that ends in the background and then writes its record on the thread
// that answers the screens (an export's audit entry, a scheduled sync's failure,
// the outcome of a walk of the audit chain) waits for the write gate
// (core/write-gate.ts) while another background task writes, instead of meeting
// the busy lock. Here the other task is played by a connection that holds the
// write lock and the gate taken as a worker takes it; the core's own busy
// timeout is cut to 1 ms, so a write that did not wait would fail.
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scheduleTick } from '../../../src/main/core/directory-sync/schedule'
import { DirectorySyncRunner } from '../../../src/main/core/directory-sync/sync-runner'
import { contextOf } from '../../../src/main/core/open-core'
import { folderDestination, waitForExport, type FolderDestination } from '../helpers/exports'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
let out: string
let destination: FolderDestination
beforeEach(async () => {
  out = mkdtempSync(join(tmpdir(), 'twofa-gate-out-'))
  destination = folderDestination(() => out)
  env = new TestEnv({ exportDestination: destination.choose })
  ;({ screen: admin } = await setUpAdmin(env))
})
afterEach(() => {
  env.dispose()
  rmSync(out, { recursive: true, force: true })
})

/** Another writer, as a background task is: the gate taken and the write lock held, until `end()`. */
async function anotherWriter(): Promise<{ end: () => void }> {
  const release = await contextOf(env.core).writeGate.acquire()
  const writer = new Database(env.dbPath)
  writer.prepare('BEGIN IMMEDIATE').run()
  env.db.pragma('busy_timeout = 1')
  return {
    end: () => {
      writer.prepare('ROLLBACK').run()
      writer.close()
      release()
      env.db.pragma('busy_timeout = 5000')
    }
  }
}

/** Another writer takes the gate as the background task `name` begins; restore() puts run back. */
function anotherWriterWhen(name: string): { writing: () => Promise<{ end: () => void }> | null; restore: () => void } {
  const ctx = contextOf(env.core)
  const run = ctx.background.run.bind(ctx.background)
  let writing: Promise<{ end: () => void }> | null = null
  ctx.background.run = (task, input, onProgress, signal) => {
    if (task === name) writing ??= anotherWriter()
    return run(task, input, onProgress, signal)
  }
  return { writing: () => writing, restore: () => void (ctx.background.run = run) }
}

const auditCount = (action: string): number => env.db.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number

describe('records written after background work, while another task writes', () => {
  it("an export's audit entry waits for the gate, and then the file appears", async () => {
    // The other task takes the gate as the export's background work begins: before the export,
    // written in the background, is recorded.
    const intercept = anotherWriterWhen('exportUsers')
    const started = await admin.ok('exportUsers', { format: 'csv' })
    expect(intercept.writing()).not.toBeNull()
    const writer = await intercept.writing()!
    try {
      // The worker writes the file from its snapshot; the entry, and so the file, wait for the other writer.
      await new Promise((next) => setTimeout(next, 500))
      const job = await admin.ok('getExport', { exportId: started.exportId! })
      expect(job.state, job.error ?? '').toBe('running')
      expect(auditCount('users.exported')).toBe(0)
    } finally {
      writer.end()
      intercept.restore()
    }
    const last = (await waitForExport(admin, started)).at(-1)!
    expect(last.state, last.error ?? '').toBe('done')
    expect(auditCount('users.exported')).toBe(1)
    expect(readFileSync(last.file!, 'utf8')).toContain('admin@example.com')
  }, 30_000)

  it('a walk of the whole audit chain records its outcome once the gate opens', async () => {
    // The other task takes the gate as the walk begins, before its outcome is recorded.
    const intercept = anotherWriterWhen('verifyAuditChain')
    const lastWalk = (): unknown => env.db.prepare('SELECT full_at FROM audit_verification WHERE id = 1').pluck().get() ?? null
    expect(lastWalk()).toBeNull()
    try {
      await env.cli('verifyWholeAuditLog')
      expect(intercept.writing()).not.toBeNull()
      const writer = await intercept.writing()!
      try {
        await new Promise((next) => setTimeout(next, 500))
        expect(lastWalk(), 'recorded while another task held the lock').toBeNull()
        expect((await env.cli('getAuditChainStatus')).lastFullVerification).toBeNull()
      } finally {
        writer.end()
      }
    } finally {
      intercept.restore()
    }
    for (let i = 0; i < 100 && lastWalk() === null; i++) await new Promise((next) => setTimeout(next, 10))
    const status = await env.cli('getAuditChainStatus')
    expect(status.lastFullVerification).toMatchObject({ valid: true, entries: status.entries })
  }, 30_000)

  it('a scheduled sync that failed records why once the gate opens', async () => {
    // A directory on a port nobody listens on: the run fails at once.
    await env.cli('setDirectoryConnection', { preset: 'openldap', url: 'ldap://127.0.0.1:9', baseDn: 'dc=example,dc=com', bindDn: 'cn=reader,dc=example,dc=com', bindPassword: 'secret', scheduleMinutes: 15 })
    env.clock.advance(16 * 60_000)
    const ctx = contextOf(env.core)
    const writer = await anotherWriter()
    let ticked = false
    const tick = scheduleTick(ctx, new DirectorySyncRunner(ctx), { lastAttempt: null }).then(() => (ticked = true))
    try {
      await new Promise((next) => setTimeout(next, 500))
      expect(ticked, 'the failure was recorded while another task held the lock').toBe(false)
    } finally {
      writer.end()
    }
    await tick
    const last = env.db.prepare("SELECT details FROM audit_log WHERE action = 'directory.synced' ORDER BY id DESC LIMIT 1").pluck().get() as string | undefined
    expect(JSON.parse(last ?? 'null')).toMatchObject({ applied: false, error: expect.any(String) })
  }, 30_000)
})

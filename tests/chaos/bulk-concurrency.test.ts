// Bulk changes racing single-user changes (issue 13): four processes on the
// same directory fire bulk disables of every administrator, single disables
// and enables, and enforce / exempt / follow policy for many users and for one,
// all at once. Every change is one transaction that reads what it decides on
// under the write lock, so: an administrator who can sign in always remains
// (the last-admin rule holds under the race), the class counters equal a
// recount, each bulk change left exactly one audit entry per changed user, and
// the directory check (the chain, the counts, each user's state) finds nothing.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_CALLER } from '../../src/main/core/caller'
import { databaseOf } from '../../src/main/core/open-core'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, openDirectoryCore } from './support/processes'
import { WORKER_PASSWORD } from './support/protocol'

const ROOT = resolve(__dirname, '..', '..')
const WORKERS = 4
const OPERATIONS = 150
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31)
const WORKER = join(ROOT, 'node_modules', '.cache', 'twofa-chaos', `bulk-worker-${process.pid}.cjs`)

let dir: string | undefined
beforeAll(async () => {
  mkdirSync(join(ROOT, 'node_modules', '.cache', 'twofa-chaos'), { recursive: true })
  await build({ absWorkingDir: ROOT, entryPoints: [join(ROOT, 'tests', 'chaos', 'support', 'bulk-worker.ts')], outfile: WORKER, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' })
})
afterAll(() => {
  rmSync(WORKER, { force: true })
  if (dir) rmSync(dir, { recursive: true, force: true })
})

interface Report {
  bulkChanged: number
  bulkCalls: number
  singleCalls: number
  lastAdminKept: number
  refused: Record<string, number>
  unexpected: string[]
}

function runWorker(config: Record<string, unknown>): Promise<{ code: number | null; report: Report | null; stderr: string }> {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  return new Promise((done) => child.once('close', (code) => done({ code, report: out.trim() === '' ? null : (JSON.parse(out.trim()) as Report), stderr })))
}

describe('bulk changes racing single-user changes', () => {
  it(`keep an administrator, the counts and one audit entry per changed user exact (seed ${SEED})`, async () => {
    const users = Array.from({ length: 200 }, (_, i) => `racer${i}@chaos.example`)
    const directory = await freshDirectory(users)
    dir = directory.dir
    const core = openDirectoryCore(directory.dbPath)
    const adminIds: number[] = []
    try {
      for (const email of ['ada@chaos.example', 'bob@chaos.example', 'cy@chaos.example']) {
        const made = await core.dispatch('createUser', CLI_CALLER, { name: email, email, role: 'admin', password: WORKER_PASSWORD })
        if (!made.ok) throw new Error(made.error.message)
        adminIds.push(made.value.id)
      }
    } finally {
      core.close()
    }
    const userIds = Array.from({ length: users.length }, (_, i) => i + 1)
    const runs = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker({ dbPath: directory.dbPath, seed: SEED + w, operations: OPERATIONS, adminIds, userIds })))
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0)
      expect(run.report?.unexpected).toEqual([])
    }
    const reports = runs.map((run) => run.report!)
    // The race did happen: bulk disables met the rule.
    expect(reports.reduce((sum, report) => sum + report.lastAdminKept + (report.refused.LAST_ADMIN ?? 0), 0)).toBeGreaterThan(0)

    const check = openDirectoryCore(directory.dbPath)
    try {
      const db = databaseOf(check)
      const activeAdmins = db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number
      expect(activeAdmins, 'the last-admin rule broke under the race').toBeGreaterThanOrEqual(1)
      // Replayed from the audit log, in commit order: at no moment were all administrators disabled.
      const adminEmails = new Set(['ada@chaos.example', 'bob@chaos.example', 'cy@chaos.example'])
      const enabled = new Set(adminEmails)
      const changes = db.prepare("SELECT id, target, details FROM audit_log WHERE action = 'user.updated' ORDER BY id").all() as { id: number; target: string; details: string }[]
      let adminChanges = 0
      for (const change of changes) {
        if (!adminEmails.has(change.target)) continue
        const details = JSON.parse(change.details) as { disabled?: boolean }
        if (details.disabled === undefined) continue
        adminChanges++
        if (details.disabled) enabled.delete(change.target)
        else enabled.add(change.target)
        expect(enabled.size, `after audit entry ${change.id} no administrator was enabled`).toBeGreaterThan(0)
      }
      expect(adminChanges).toBeGreaterThan(10)
      expect(enabled.size).toBe(activeAdmins)
      const counters = db.prepare('SELECT tfa_class, users FROM class_counts WHERE users > 0 ORDER BY tfa_class').all()
      const recount = db.prepare('SELECT tfa_class, count(*) AS users FROM users GROUP BY tfa_class ORDER BY tfa_class').all()
      expect(counters).toEqual(recount)
      const bulkEntries = db.prepare("SELECT count(*) FROM audit_log WHERE json_extract(details, '$.bulk') = 1").pluck().get() as number
      expect(bulkEntries).toBe(reports.reduce((sum, report) => sum + report.bulkChanged, 0))
    } finally {
      check.close()
    }
    expect((await checkDirectory(directory.dbPath)).problems.slice(0, 5)).toEqual([])
  }, 300_000)
})

// The bulk part of `npm run bench` (issue 13): "select all N matching this
// filter" and one action on them, at 100,000 selected users: the preview the
// confirmation shows, and the change itself (one write transaction, one chained
// audit entry per user, the counters kept by the triggers), next to the plainest
// better-sqlite3 program that makes the same change (the same UPDATE and one
// HMAC-chained audit row per user, in one transaction). Runs on a copy of the
// cached demo directory, with a group of 100,000 members as the filter.
import { createHmac, randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import BetterSqlite3 from 'better-sqlite3'
import { CLI_CALLER } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { openCore } from '../../src/main/core/open-core'
import { benchDir, call, measure, printRow, since, sizeLabel, toStats, type Row } from './common'

export interface BulkOptions {
  sizes: number[]
  runs: number
}

const SELECTED = 100_000
const ROOT = resolve(__dirname, '..', '..')
const TARGET_MS = 2_000

function prepareCopy(source: string, users: number): string {
  const path = join(benchDir(), `bulk-${users}.db`)
  for (const suffix of ['', '-wal', '-shm', '.key', '.audit-head']) rmSync(`${path}${suffix}`, { force: true })
  copyFileSync(source, path)
  copyFileSync(`${source}.key`, `${path}.key`)
  return path
}

function addGroup(path: string, members: number): number {
  const db = new BetterSqlite3(path)
  db.pragma('journal_mode = WAL')
  const id = db.transaction(() => {
    const group = Number(db.prepare("INSERT INTO groups (name, created_at) VALUES ('Roll-out wave 1', 0)").run().lastInsertRowid)
    db.prepare('INSERT INTO group_members (group_id, user_id) SELECT ?, id FROM users ORDER BY id LIMIT ?').run(group, members)
    return group
  })()
  db.close()
  return id
}

function logSize(path: string): number {
  const db = new BetterSqlite3(path, { readonly: true })
  try {
    return db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number
  } finally {
    db.close()
  }
}

function countersExact(db: BetterSqlite3.Database): boolean {
  const counters = JSON.stringify(db.prepare('SELECT tfa_class, users FROM class_counts WHERE users > 0 ORDER BY tfa_class').all())
  const recount = JSON.stringify(db.prepare('SELECT tfa_class, count(*) AS users FROM users GROUP BY tfa_class ORDER BY tfa_class').all())
  return counters === recount
}

export async function benchBulk(options: BulkOptions, rows: Row[], seededPath: (users: number) => Promise<string>): Promise<void> {
  for (const users of options.sizes) {
    const path = prepareCopy(await seededPath(users), users)
    const members = Math.min(SELECTED, users)
    const groupId = addGroup(path, members)
    // As the desktop app and the preview run it: the change in the background worker, on a connection of its own.
    const backgroundWorker = join(ROOT, 'out', 'background', 'worker.js')
    if (!existsSync(backgroundWorker)) throw new Error(`${backgroundWorker} is missing: run node scripts/build-node.mjs.`)
    const core = openCore({ dbPath: path, keyProvider: fileKeyProvider(path), backgroundWorker })
    const add = (row: Omit<Row, 'size' | 'group'>) => {
      const full: Row = { ...row, group: 'Bulk changes', size: users }
      rows.push(full)
      printRow(full)
    }
    const selection = { filter: { groupId } }
    // Every member follows the policy first: each enforce below then changes every user who is not an administrator.
    await call(core, CLI_CALLER, 'applyBulkChange', { selection, action: 'inherit' })
    const preview = await call(core, CLI_CALLER, 'previewBulkChange', { selection, action: 'enforce' })
    add({
      operation: `preview enforcing all ${sizeLabel(members)} matching a filter (previewBulkChange, worker)`,
      ours: await measure(options.runs, () => call(core, CLI_CALLER, 'previewBulkChange', { selection, action: 'enforce' }), 1),
      note: `the confirmation's exact counts: ${preview.summary}`
    })
    // Each round adds two entries a changed user to the log, whose target indexes every change writes into.
    const logAtStart = logSize(path)
    const enforce: number[] = []
    const inherit: number[] = []
    let changed = 0
    let longestStall = 0
    const pageCalls: number[] = []
    for (let i = 0; i < options.runs; i++) {
      // Meanwhile the screen asks for a page of users every 50 ms: the longest stall says whether its thread stays free.
      const loop = monitorEventLoopDelay({ resolution: 1 })
      loop.enable()
      let started = process.hrtime.bigint()
      let finished = false
      const running = call(core, CLI_CALLER, 'applyBulkChange', { selection, action: 'enforce', expectedChanges: preview.willChange }).finally(() => (finished = true))
      while (!finished) {
        const asked = process.hrtime.bigint()
        await call(core, CLI_CALLER, 'listUsers', { limit: 50 })
        pageCalls.push(since(asked))
        await new Promise((done) => setTimeout(done, 50))
      }
      changed = (await running).willChange
      enforce.push(since(started))
      loop.disable()
      longestStall = Math.max(longestStall, loop.max / 1e6 - 1)
      started = process.hrtime.bigint()
      await call(core, CLI_CALLER, 'applyBulkChange', { selection, action: 'inherit' })
      inherit.push(since(started))
    }
    const audit = await call(core, CLI_CALLER, 'verifyWholeAuditLog', {})
    core.close()

    // The floor: the same change written plainly, one HMAC-chained audit row per user, in one transaction.
    const bare = new BetterSqlite3(path)
    bare.pragma('journal_mode = WAL')
    bare.pragma('synchronous = FULL')
    const exact = countersExact(bare)
    const key = randomBytes(32)
    const targets = bare.prepare("SELECT u.id, u.email, u.enforcement FROM users u WHERE u.id IN (SELECT user_id FROM group_members WHERE group_id = ?) AND u.role <> 'admin' AND u.enforcement <> ?")
    const update = bare.prepare(
      "UPDATE users SET enforcement = @to, enforcement_by = 'bench', enforcement_at = @now, updated_at = @now, enforcement_deadline = @deadline WHERE id IN (SELECT value FROM json_each(@ids))"
    )
    const last = bare.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
    const insert = bare.prepare("INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, 'bench', 'enforcement.user-changed', ?, ?, ?, ?)")
    const floorChange = bare.transaction((to: string) => {
      const now = Date.now()
      const rowsToChange = targets.all(groupId, to) as { id: number; email: string; enforcement: string }[]
      update.run({ to, now, deadline: to === 'enforced' ? now : null, ids: JSON.stringify(rowsToChange.map((row) => row.id)) })
      let { id, hash } = last.get() as { id: number; hash: string }
      for (const row of rowsToChange) {
        const details = JSON.stringify({ from: row.enforcement, to })
        const next = createHmac('sha256', key).update(hash).update('\n').update(JSON.stringify([++id, now, 'bench', 'enforcement.user-changed', row.email, details])).digest('hex')
        insert.run(id, now, row.email, details, hash, next)
        hash = next
      }
      return rowsToChange.length
    })
    const floor: number[] = []
    for (let i = 0; i < options.runs; i++) {
      const started = process.hrtime.bigint()
      floorChange('enforced')
      floor.push(since(started))
      floorChange('inherit')
    }
    bare.close()
    const pages = toStats(pageCalls)
    const checks = `longest event-loop stall of the calling thread ${longestStall.toFixed(0)} ms, ${pageCalls.length} pages of users asked meanwhile (p50 ${pages.p50.toFixed(1)} ms, p95 ${pages.p95.toFixed(1)} ms); ${changed.toLocaleString('en-US')} users changed a run; the counters equal a recount afterwards: ${exact ? 'yes' : 'NO'}; the audit chain verifies: ${audit.broken === null ? 'yes' : 'NO'} (${audit.entries.toLocaleString('en-US')} entries)`
    add({
      operation: `enforce all ${sizeLabel(members)} matching a filter (applyBulkChange, worker)`,
      ours: toStats(enforce),
      floor: toStats(floor),
      target: { p95Ms: TARGET_MS, label: 'under 2 s' },
      note: `one write transaction in the background worker: reads the selection, the rules per user, one UPDATE, one chained audit entry per user; ${checks}; each run in order (ms), the log growing from ${logAtStart.toLocaleString('en-US')} entries by ${(2 * changed).toLocaleString('en-US')} a round: ${enforce.map((ms) => ms.toFixed(0)).join(', ')}`
    })
    add({
      operation: `follow policy for all ${sizeLabel(members)} matching (applyBulkChange)`,
      ours: toStats(inherit),
      target: { p95Ms: TARGET_MS, label: 'under 2 s' },
      note: `the change back, as the runs alternate; each run in order (ms): ${inherit.map((ms) => ms.toFixed(0)).join(', ')}`
    })
    for (const suffix of ['', '-wal', '-shm', '.key', '.audit-head']) rmSync(`${path}${suffix}`, { force: true })
  }
}

export function reportBulk(rows: Row[], measured: string[]): string {
  const ratio = (row: Row) => (row.floor ? `${(row.ours.p50 / row.floor.p50).toFixed(2)}\u00d7` : '\u2014')
  const verdict = (row: Row) => (row.target === undefined ? '' : row.ours.p95 <= row.target.p95Ms ? `${row.target.label}: met` : `${row.target.label}: **missed**`)
  return [
    ...measured,
    '',
    '| Users | Operation | ours p50 / p95 (ms) | floor p50 (ms) | ours / floor | target | note |',
    '|---:|---|---:|---:|---:|---|---|',
    ...rows.map(
      (row) =>
        `| ${sizeLabel(row.size)} | ${row.operation} | ${row.ours.p50.toFixed(0)} / ${row.ours.p95.toFixed(0)} | ${row.floor ? row.floor.p50.toFixed(0) : '\u2014'} | ${ratio(row)} | ${verdict(row)} | ${row.note ?? ''} |`
    )
  ].join('\n')
}

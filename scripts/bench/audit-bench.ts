// The audit log part of `npm run bench`: a log of 1M and 10M generated entries
// (a keyed chain, as the core writes it), read and verified through the
// dispatcher the screens call, next to the plainest better-sqlite3 program for
// the same answer: a page, a filtered page, the check of 1,000 new entries,
// and a check of every entry (in the background worker, as the screens start it).
import { createHmac } from 'node:crypto'
import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import BetterSqlite3 from 'better-sqlite3'
import type { AuditAction } from '../../src/shared/domain'
import { chainKeyOf, entryMac, keyedFrom } from '../../src/main/core/audit/chain'
import { CLI_CALLER, type Caller } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { seededRandom } from '../../src/main/core/demo/demo-directory'
import { base32Decode, codeAt } from '../../src/main/core/crypto/totp'
import { databaseOf, openCore, type Core } from '../../src/main/core/open-core'
import { sealVerification } from '../../src/main/core/audit/verification'
import { auditPageStatement } from '../../src/main/db/audit-repo'
import { LATEST_VERSION } from '../../src/main/db/migrations'
import { benchDir, call, maxRssMiB, measure, ms, printRow, since, sizeLabel, toStats, type Row } from './common'

export interface AuditOptions {
  sizes: number[]
  runs: number
  /** Full verifications timed per size (each walks the whole log). */
  fullRuns: number
}

const ROOT = join(__dirname, '..', '..')
const ADMIN_EMAIL = 'audit.admin@bench.example'
const ADMIN_PASSWORD = 'audit bench password for the admin 2026'
/** A cheap KDF for the bench administrator: sign-in is measured by the users part. */
const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 }
const PAGE = 50
/** People whose sign-ins fill the log. */
const PEOPLE = 20_000
const GENERATOR_VERSION = 2
const NEW_ENTRIES = 1_000

/** How often each action appears: mostly sign-ins, as in a real directory. */
const MIX: [AuditAction, number][] = [
  ['login.success', 70],
  ['login.failure', 12],
  ['logout', 10],
  ['session.expired', 4],
  ['2fa.enrolled', 1],
  ['user.updated', 1],
  ['enforcement.user-changed', 1],
  ['2fa.reset', 1]
]
/** The rare action of the filtered-page row: one entry in a hundred. */
const RARE_ACTION: AuditAction = '2fa.reset'

const person = (n: number) => `person${n}@audit.example`

/** Writes `count` more entries after the newest one, keyed and chained, in transactions of 50k. */
function appendEntries(db: BetterSqlite3.Database, key: Buffer, count: number, seed: number, startAt: number): void {
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
  const insert = db.prepare('INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const next = seededRandom(seed)
  const weights = MIX.reduce((sum, [, weight]) => sum + weight, 0)
  let id = last.id
  let prev = last.hash
  const batch = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) {
      id++
      let pick = next() * weights
      let action = MIX[0]![0]
      for (const [candidate, weight] of MIX) {
        if ((pick -= weight) < 0) {
          action = candidate
          break
        }
      }
      const who = person(Math.floor(next() * PEOPLE))
      const admin = action === '2fa.reset' || action === 'user.updated' || action === 'enforcement.user-changed'
      const entry = { id, at: startAt + id * 1000, actor: admin ? ADMIN_EMAIL : who, action, target: who, details: action === 'login.success' ? '{"secondFactor":true}' : '{}' }
      const hash = entryMac(key, prev, entry)
      insert.run(entry.id, entry.at, entry.actor, entry.action, entry.target, entry.details, prev, hash)
      prev = hash
    }
  })
  for (let done = 0; done < count; done += 50_000) batch(Math.min(50_000, count - done))
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '.key', '.audit-head']) rmSync(`${path}${suffix}`, { force: true })
}

/** Builds (once) and caches a directory whose audit log holds `entries` entries, verified as they came. */
async function ensureAuditDatabase(entries: number): Promise<string> {
  const path = join(benchDir(), `audit-${entries}-schema${LATEST_VERSION}-gen${GENERATOR_VERSION}.db`)
  if (existsSync(path)) return path
  const partial = `${path}.partial`
  removeDatabase(partial)
  process.stdout.write(`Writing an audit log of ${entries.toLocaleString('en')} entries into ${path} ... `)
  const started = process.hrtime.bigint()
  // The core creates the directory and the first keyed entries; the rest are appended bare, in bulk.
  const core = openCore({ dbPath: partial, keyProvider: fileKeyProvider(partial), passwordKdf: FAST_KDF })
  await call(core, CLI_CALLER, 'createUser', { name: 'Audit Admin', email: ADMIN_EMAIL, role: 'admin', password: ADMIN_PASSWORD })
  core.close()
  const key = chainKeyOf(fileKeyProvider(partial).getDataKey())
  const db = new BetterSqlite3(partial)
  db.pragma('synchronous = OFF')
  const existing = db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
  appendEntries(db, key, entries - existing, entries, Date.UTC(2025, 0, 1))
  // As if every entry had been checked when it was noticed: the mark is at the newest.
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
  db.prepare('UPDATE audit_verification SET verified_through = ?, verified_hash = ? WHERE id = 1').run(last.id, last.hash)
  sealVerification(db, key)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  for (const suffix of ['.key', '.audit-head']) if (existsSync(`${partial}${suffix}`)) renameSync(`${partial}${suffix}`, `${path}${suffix}`)
  renameSync(partial, path)
  console.log(`${(since(started) / 1000).toFixed(1)} s`)
  return path
}

/** The bench administrator, signed in with a fresh authenticator (reset first: a cached log was enrolled by an earlier run). */
async function signIn(core: Core): Promise<Caller> {
  const userId = core.local.findUserIdByEmail(ADMIN_EMAIL)
  await call(core, CLI_CALLER, 'resetTwoFactor', { userId })
  const caller: Caller = { kind: 'session', holder: { sessionId: null } }
  const step = await call(core, caller, 'login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
  if (step.step !== 'enrollment-required') throw new Error(`Unexpected login step ${step.step}.`)
  const enrollment = await call(core, caller, 'startEnrollment', {})
  const secret = base32Decode(new URL(enrollment.otpauthUri).searchParams.get('secret') ?? '')
  await call(core, caller, 'confirmEnrollment', { code: codeAt(secret, Date.now()) })
  return caller
}

/** The plainest program that checks every entry: one ordered scan, one HMAC per row. */
function floorWalk(db: BetterSqlite3.Database, key: Buffer, from: number): number {
  let prev = '0'.repeat(64)
  let checked = 0
  for (const row of db.prepare('SELECT id, at, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY id').raw().iterate() as Iterable<unknown[]>) {
    const [id, at, actor, action, target, details, prevHash, hash] = row as [number, number, string, string, string | null, string, string, string]
    const text = JSON.stringify([id, at, actor, action, target, details])
    const link = id >= from ? createHmac('sha256', key).update(prev).update('\n').update(text).digest('hex') : null
    if (prevHash !== prev || (link !== null && link !== hash)) throw new Error(`The floor walk found entry ${id} broken.`)
    prev = hash
    checked++
  }
  return checked
}

export async function benchAudit(entries: number, options: AuditOptions, rows: Row[]): Promise<void> {
  const path = await ensureAuditDatabase(entries)
  const add = (row: Omit<Row, 'size'>) => {
    const full = { ...row, size: entries }
    rows.push(full)
    printRow(full)
  }
  const backgroundWorker = join(ROOT, 'out', 'background', 'worker.js')
  if (!existsSync(backgroundWorker)) throw new Error(`${backgroundWorker} is missing: run node scripts/build-node.mjs.`)
  const core = openCore({ dbPath: path, keyProvider: fileKeyProvider(path), backgroundWorker })
  const db = databaseOf(core)
  const key = chainKeyOf(fileKeyProvider(path).getDataKey())
  try {
    const admin = await signIn(core)
    const runs = options.runs
    // What every page also reports: the chain state (the mark, the newest id, the last full check).
    const mark = db.prepare('SELECT * FROM audit_verification WHERE id = 1')
    const newest = db.prepare('SELECT max(id) FROM audit_log').pluck()
    const bare = (query: Parameters<typeof auditPageStatement>[0]) => {
      const statement = auditPageStatement(query)
      const prepared = db.prepare(statement.sql)
      return () => [prepared.all(statement.params), mark.get(), newest.get()]
    }

    add({
      group: 'Audit log',
      operation: 'first page (50 newest)',
      ours: await measure(runs, () => call(core, admin, 'listAudit', { limit: PAGE })),
      floor: await measure(runs, bare({ limit: PAGE + 1 })),
      target: { p95Ms: 5, label: 'p95 < 5 ms at any size' },
      note: 'ours includes the look at the chain every page makes (the mark, the anchor file, entries since the mark)'
    })
    const middle = Math.floor(entries / 2)
    const naiveOffset = db.prepare(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ${PAGE + 1} OFFSET ?`)
    add({
      group: 'Audit log',
      operation: 'a page halfway back (--before)',
      ours: await measure(runs, () => call(core, admin, 'listAudit', { limit: PAGE, before: middle })),
      floor: await measure(runs, bare({ limit: PAGE + 1, before: middle })),
      naive: { label: 'OFFSET', stats: await measure(Math.min(runs, 10), () => [naiveOffset.all(entries - middle), mark.get(), newest.get()]) },
      target: { p95Ms: 5, label: 'p95 < 5 ms at any size' }
    })
    // A typical person: about entries / PEOPLE entries each, as actor or target.
    const who = person(4242)
    const naiveUser = db.prepare(`SELECT * FROM audit_log WHERE actor = @user COLLATE NOCASE OR target = @user COLLATE NOCASE ORDER BY id DESC LIMIT ${PAGE + 1}`)
    add({
      group: 'Audit log',
      operation: 'filtered page: one user',
      ours: await measure(runs, () => call(core, admin, 'listAudit', { limit: PAGE, user: who })),
      floor: await measure(runs, bare({ limit: PAGE + 1, user: who })),
      naive: { label: 'actor OR target', stats: await measure(runs, () => [naiveUser.all({ user: who }), mark.get(), newest.get()]) },
      target: { p95Ms: 5, label: 'p95 < 5 ms at any size' }
    })
    // The administrator is the actor of every admin action: a long history, where OR must gather it all and sort it.
    add({
      group: 'Audit log',
      operation: 'filtered page: the administrator',
      ours: await measure(runs, () => call(core, admin, 'listAudit', { limit: PAGE, user: ADMIN_EMAIL })),
      floor: await measure(runs, bare({ limit: PAGE + 1, user: ADMIN_EMAIL })),
      naive: { label: 'actor OR target', stats: await measure(Math.min(runs, 10), () => [naiveUser.all({ user: ADMIN_EMAIL }), mark.get(), newest.get()]) },
      target: { p95Ms: 5, label: 'p95 < 5 ms at any size' }
    })
    add({
      group: 'Audit log',
      operation: 'filtered page: the administrator, one rare action',
      ours: await measure(runs, () => call(core, admin, 'listAudit', { limit: PAGE, user: ADMIN_EMAIL, action: RARE_ACTION })),
      floor: await measure(runs, bare({ limit: PAGE + 1, user: ADMIN_EMAIL, action: RARE_ACTION })),
      target: { p95Ms: 5, label: 'p95 < 5 ms at any size' }
    })

    // ---- 1,000 entries written by other processes since the last look: the next look checks them.
    const catchUp: number[] = []
    const floorCatchUp: number[] = []
    const after = db.prepare('SELECT id, at, actor, action, target, details, prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?').raw()
    const moveMark = db.prepare('UPDATE audit_verification SET verified_through = ?, verified_hash = ? WHERE id = 1')
    const from = keyedFrom(db) ?? 1
    const floorCheck = db.transaction(() => {
      const { verified_through: through, verified_hash: hash } = mark.get() as { verified_through: number; verified_hash: string }
      let prev = hash
      let last = through
      for (const row of after.all(through, NEW_ENTRIES + 1) as unknown[][]) {
        const [id, at, actor, action, target, details, prevHash, entryHash] = row as [number, number, string, string, string | null, string, string, string]
        const link = createHmac('sha256', key).update(prev).update('\n').update(JSON.stringify([id, at, actor, action, target, details])).digest('hex')
        if (prevHash !== prev || (id >= from && link !== entryHash)) throw new Error(`The floor found entry ${id} broken.`)
        prev = entryHash
        last = id
      }
      moveMark.run(last, prev)
      // As the core does: a mark moved without its seal would make the next look start over.
      sealVerification(db, key)
    })
    const writer = new BetterSqlite3(path)
    try {
      for (let i = 0; i < Math.min(runs, 20) + 2; i++) {
        const keep = i >= 2
        appendEntries(writer, key, NEW_ENTRIES, entries + i * 2, Date.now())
        let started = process.hrtime.bigint()
        const status = await call(core, admin, 'getAuditChainStatus', {})
        if (keep) catchUp.push(since(started))
        if (status.broken !== null || status.verifiedThrough !== status.entries) throw new Error(`The look after ${NEW_ENTRIES} new entries did not check them: ${JSON.stringify(status)}.`)
        // The floor checks the same kind of batch: 1,000 more, from the mark.
        appendEntries(writer, key, NEW_ENTRIES, entries + i * 2 + 1, Date.now())
        started = process.hrtime.bigint()
        floorCheck.immediate()
        if (keep) floorCatchUp.push(since(started))
      }
    } finally {
      writer.close()
    }
    add({
      group: 'Audit log',
      operation: `incremental check of ${NEW_ENTRIES.toLocaleString('en')} new entries`,
      ours: toStats(catchUp),
      floor: toStats(floorCatchUp),
      note: 'ours: getAuditChainStatus after another process appended them (reads them, one HMAC each, moves the mark in one transaction); floor: the same reads, HMACs and update, bare'
    })

    // ---- A check of every entry, as the Audit log screen starts it: in the background worker,
    // while the event loop that answers the screens is sampled every millisecond.
    const fullSamples: number[] = []
    let longestStall = 0
    for (let i = 0; i < options.fullRuns; i++) {
      const before = (await call(core, admin, 'getAuditChainStatus', {})).lastFullVerification?.at ?? 0
      const loop = monitorEventLoopDelay({ resolution: 1 })
      loop.enable()
      const started = process.hrtime.bigint()
      await call(core, admin, 'verifyWholeAuditLog', {})
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        const status = await call(core, admin, 'getAuditChainStatus', {})
        if (status.verifying === null && (status.lastFullVerification?.at ?? 0) > before) {
          if (!status.lastFullVerification?.valid) throw new Error(`The full check found the log broken: ${JSON.stringify(status)}.`)
          break
        }
        if (since(started) > 30 * 60_000) throw new Error('The full check did not finish in 30 minutes.')
      }
      fullSamples.push(since(started))
      loop.disable()
      longestStall = Math.max(longestStall, loop.max / 1e6 - 1)
    }
    const floorSamples: number[] = []
    for (let i = 0; i < options.fullRuns; i++) {
      const started = process.hrtime.bigint()
      floorWalk(db, key, from)
      floorSamples.push(since(started))
    }
    add({
      group: 'Audit log',
      operation: 'full verification (background worker)',
      ours: toStats(fullSamples),
      floor: toStats(floorSamples),
      note: `ours: verifyWholeAuditLog until getAuditChainStatus reports it done (polled every 20 ms), in a worker thread; longest event-loop stall meanwhile: ${Math.max(0, longestStall).toFixed(1)} ms; floor: one ordered scan and one HMAC per row in this thread`
    })
    const cli = maxRssMiB([join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', path, 'audit', '--verify'])
    add({
      group: 'Audit log',
      operation: '`twofa-admin audit --verify` (new process)',
      ours: toStats([cli.ms]),
      note: `one run; largest resident set ${cli.rss === null ? 'not measured (no /usr/bin/time)' : `${cli.rss.toFixed(0)} MiB`} (streams: the same at any size)`
    })
  } finally {
    core.close()
  }
}

export function reportAudit(rows: Row[], options: AuditOptions): string {
  const lines: string[] = []
  lines.push(
    '### Audit log',
    '',
    `Logs of ${options.sizes.map(sizeLabel).join(' and ')} generated entries (keyed chain, ${PEOPLE.toLocaleString('en')} people, mostly sign-ins), ` +
      `\`--audit-sizes ${options.sizes.join(',')}\`. ${options.runs} runs per page measurement after 3 warm-up runs; full verification: ${options.fullRuns} run(s).`,
    '',
    '| Operation | Entries | p50 | p95 | floor p50 | ratio | naive p50 | target | |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|'
  )
  for (const row of rows) {
    const ratio = row.floor ? row.ours.p50 / row.floor.p50 : null
    const met = row.target === undefined ? '' : row.ours.p95 <= row.target.p95Ms ? 'met' : `**missed** (p95 ${ms(row.ours.p95)} ms)`
    lines.push(
      `| ${row.operation} | ${sizeLabel(row.size)} | ${ms(row.ours.p50)} | ${ms(row.ours.p95)} | ${row.floor ? ms(row.floor.p50) : ''} | ${ratio === null ? '' : ratio.toFixed(2)} | ${
        row.naive ? `${ms(row.naive.stats.p50)} (${row.naive.label})` : ''
      } | ${row.target?.label ?? ''} | ${met} |`
    )
  }
  const notes = [...new Map(rows.filter((row) => row.note).map((row) => [`${row.operation}${row.operation.includes('new process') ? ` (${sizeLabel(row.size)})` : ''}`, row.note])).entries()]
  if (notes.length > 0) {
    lines.push('', 'Notes:')
    for (const [operation, note] of notes) lines.push(`- ${operation}: ${note}.`)
  }
  lines.push('', '| Entries | database file |', '|---:|---:|')
  for (const size of options.sizes) {
    const path = join(benchDir(), `audit-${size}-schema${LATEST_VERSION}-gen${GENERATOR_VERSION}.db`)
    lines.push(`| ${sizeLabel(size)} | ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB |`)
  }
  return lines.join('\n')
}

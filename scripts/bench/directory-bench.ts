// The directory part of `npm run bench` (issue 10): a CSV import of 10k and 100k
// users and an LDAP sync of 5k and 50k entries from a real OpenLDAP the bench
// starts itself, each as `twofa-admin` runs it (a new process, time and largest
// resident set) next to the plainest program for the same answer (a new
// process too: csv-parse or a paged ldapts search, better-sqlite3, one
// transaction). The import is also timed through the dispatcher as the
// screens call it (the background worker), while the event loop that answers
// the screens is sampled.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import BetterSqlite3 from 'better-sqlite3'
import { MAX_IMPORT_BYTES } from '../../src/shared/contract/user-import'
import { chainKeyOf } from '../../src/main/core/audit/chain'
import { CLI_CALLER } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { openCore } from '../../src/main/core/open-core'
import { startSlapd, type Slapd } from '../../tests/unit/helpers/slapd'
import { benchDir, call, maxRssMiB, printRow, since, sizeLabel, toStats, type Row, type Stats } from './common'

export interface DirectoryOptions {
  /** Rows of the CSV imports. */
  importRows: number[]
  /** Entries of the LDAP directories synced. */
  ldapSizes: number[]
  /** New processes timed per row (each import and each first sync onto a fresh directory). */
  runs: number
}

/** A row of this part: also the largest resident set of each process timed. */
export interface DirectoryRow extends Row {
  rss?: (number | null)[]
  floorRss?: (number | null)[]
  /** What this size adds to the note: counts, the longest stall. */
  detail?: string
}

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'bin', 'twofa-admin.cjs')
/** What the helper's directory holds at most: its mdb map is 256 MiB, about 0.9 KiB an entry (45 MiB at 50k). */
export const MAX_LDAP_ENTRIES = 200_000
const IMPORT_TARGET = { p95Ms: 60_000, label: 'under 60 s at 100k, flat memory' }
/** Memory is flat when the largest resident set at the most rows is within this factor of the fewest's. */
const FLAT_FACTOR = 1.25
/** The heap of the extra run at the most rows: far less than the rows would take if they were held. */
const CAPPED_HEAP_MIB = 40

// ---------------------------------------------------------------- the floors

/**
 * The floor of `twofa-admin import users FILE` on a fresh directory: stream the file through
 * csv-parse, insert each user and one keyed, chained audit entry per user (HMAC-SHA-256 of the
 * previous hash and the entry, as chain.ts entryMac), the record of where the keyed links begin
 * and the closing 'users.imported' entry, in one transaction. No validation of the fields, no
 * staging table (duplicates), no look-up of an existing user, no rules, no progress, no anchor file.
 */
const IMPORT_FLOOR_PROGRAM = `
const fs = require('node:fs')
const { createHmac } = require('node:crypto')
const { parse } = require('csv-parse')
const Database = require('better-sqlite3')
const [dbPath, csvPath] = process.argv.slice(1)
const key = Buffer.from(process.env.BENCH_CHAIN_KEY, 'hex')
const actor = 'cli'
const now = Date.now()
const db = new Database(dbPath, { fileMustExist: true })
db.pragma('foreign_keys = ON')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
const insertUser = db.prepare("INSERT INTO users (name, email, role, enforcement, enforcement_by, enforcement_at, disabled, created_at, updated_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'csv')")
const insertAudit = db.prepare('INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
const ENFORCE = { yes: 'enforced', no: 'exempt', inherit: 'inherit', '': 'inherit' }
let id = 0
let prev = '0'.repeat(64)
const append = (action, target, details) => {
  id++
  const hash = createHmac('sha256', key).update(prev).update('\\n').update(JSON.stringify([id, now, actor, action, target, details])).digest('hex')
  insertAudit.run(id, now, actor, action, target, details, prev, hash)
  prev = hash
}
;(async () => {
  db.exec('BEGIN IMMEDIATE')
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('audit_keyed_from', '1:' + createHmac('sha256', key).update('twofa-admin:audit-keyed-from|1').digest('hex'))
  let columns = null
  let rows = 0
  for await (const record of fs.createReadStream(csvPath, { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true }))) {
    if (columns === null) {
      columns = Object.fromEntries(record.map((name, i) => [name.trim().toLowerCase(), i]))
      continue
    }
    const field = (name) => (columns[name] === undefined ? '' : record[columns[name]].trim())
    const email = field('email').toLowerCase()
    const name = field('name') || email.slice(0, email.indexOf('@'))
    const role = field('role') || 'user'
    const enforcement = ENFORCE[field('enforce').toLowerCase()]
    const disabled = field('disabled').toLowerCase() === 'yes'
    const inherit = enforcement === 'inherit'
    insertUser.run(name, email, role, enforcement, inherit ? null : actor, inherit ? null : now, disabled ? 1 : 0, now, now)
    const details = { role, source: 'csv' }
    if (!inherit) details.enforcement = enforcement
    if (disabled) details.disabled = true
    append('user.created', email, JSON.stringify(details))
    rows++
  }
  append('users.imported', null, JSON.stringify({ rows, created: rows, updated: 0, unchanged: 0 }))
  db.exec('COMMIT')
  db.close()
  process.stdout.write(JSON.stringify({ created: rows }) + '\\n')
})().catch((error) => {
  console.error(error)
  process.exit(1)
})`

/**
 * The floor of `twofa-admin ldap sync`: one paged ldapts search of the same entries and
 * attributes, then (create) every user inserted in one transaction, or (compare) every entry
 * looked up by its id and compared, writing nothing. No audit entries, no rules, no diff
 * against the users already here, no staging, no disabling of users who left.
 */
const SYNC_FLOOR_PROGRAM = `
const { Client } = require('ldapts')
const Database = require('better-sqlite3')
const [dbPath, url, baseDn, bindDn, mode] = process.argv.slice(1)
const first = (value) => String(Array.isArray(value) ? value[0] : value)
;(async () => {
  const client = new Client({ url, timeout: 60000, connectTimeout: 10000 })
  let entries
  try {
    await client.bind(bindDn, process.env.BENCH_BIND_PASSWORD)
    entries = (await client.search(baseDn, { scope: 'sub', filter: '(objectClass=inetOrgPerson)', paged: { pageSize: 200 }, attributes: ['entryUUID', 'uid', 'mail', 'cn'] })).searchEntries
  } finally {
    await client.unbind()
  }
  const db = new Database(dbPath, { fileMustExist: true })
  db.pragma('foreign_keys = ON')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  const now = Date.now()
  let count = 0
  if (mode === 'create') {
    const insert = db.prepare("INSERT INTO users (name, email, role, created_at, updated_at, source, directory_dn, directory_id) VALUES (?, ?, 'user', ?, ?, 'ldap', ?, ?)")
    db.transaction(() => {
      for (const entry of entries) {
        insert.run(first(entry.cn), first(entry.mail).toLowerCase(), now, now, entry.dn, first(entry.entryUUID).toLowerCase())
        count++
      }
    }).immediate()
  } else {
    const find = db.prepare('SELECT name, email, directory_dn FROM users WHERE directory_id = ?')
    db.transaction(() => {
      for (const entry of entries) {
        const user = find.get(first(entry.entryUUID).toLowerCase())
        if (user !== undefined && user.name === first(entry.cn) && user.email === first(entry.mail).toLowerCase() && user.directory_dn === entry.dn) count++
      }
    })()
  }
  db.close()
  process.stdout.write(JSON.stringify(mode === 'create' ? { created: count } : { unchanged: count }) + '\\n')
})().catch((error) => {
  console.error(error)
  process.exit(1)
})`

// ---------------------------------------------------------------- helpers

/** A fresh directory as `twofa-admin init` makes it, in its own folder under `root`. */
function freshDirectory(root: string, label: string): string {
  const path = join(mkdtempSync(join(root, `${label}-`)), 'directory.db')
  const result = spawnSync(process.execPath, [CLI, '--db', path, 'init'], { encoding: 'utf8', timeout: 60_000 })
  if (result.status !== 0) throw new Error(`twofa-admin init failed: ${result.stderr}`)
  return path
}

function removeDirectory(path: string): void {
  rmSync(join(path, '..'), { recursive: true, force: true })
}

/** The users and the audit log of a directory, as the answers to compare: counts and a hash of every user's fields. */
function contents(path: string): { users: number; audit: number; digest: string } {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
  try {
    const hash = createHash('sha256')
    let users = 0
    for (const row of db.prepare('SELECT email, name, role, enforcement, disabled, source, directory_dn, directory_id FROM users ORDER BY email').raw().iterate() as Iterable<unknown[]>) {
      hash.update(JSON.stringify(row)).update('\n')
      users++
    }
    // Without the system's own entries: a host that finds a log with no anchor file beside it (a fresh one, written
    // by the background worker's connection) records 'audit.anchor-created' as it writes the anchor.
    const audit = db.prepare("SELECT count(*) FROM audit_log WHERE actor <> 'system'").pluck().get() as number
    return { users, audit, digest: hash.digest('hex').slice(0, 16) }
  } finally {
    db.close()
  }
}

function sameAnswer(what: string, ours: ReturnType<typeof contents>, floor: ReturnType<typeof contents>, audit = true): void {
  const differs = ours.users !== floor.users || ours.digest !== floor.digest || (audit && ours.audit !== floor.audit)
  if (differs) throw new Error(`${what}: the floor's directory differs from ours (ours ${JSON.stringify(ours)}, floor ${JSON.stringify(floor)}).`)
}

/** The CSV of an import: `rows` new users, with quoted names, a few administrators, overrides and disabled users. */
function importCsv(rows: number): string {
  const lines = ['email,name,role,enforce,disabled']
  for (let i = 1; i <= rows; i++) {
    const admin = i % 1000 === 0
    const name = i % 50 === 0 ? `"Lee, Person ${i}"` : `Person ${i}`
    const enforce = admin || i % 10 === 0 ? 'yes' : i % 25 === 0 ? 'no' : ''
    lines.push(`person${i}@import.example,${name},${admin ? 'admin' : 'user'},${enforce},${i % 20 === 0 ? 'yes' : ''}`)
  }
  return `${lines.join('\r\n')}\r\n`
}

const chainKeyHex = (path: string): string => chainKeyOf(fileKeyProvider(path).getDataKey()).toString('hex')
const rssText = (values: (number | null)[] | undefined): string =>
  values === undefined || values.length === 0 ? '' : values.every((value) => value === null) ? 'not measured' : `${Math.max(...values.map((value) => value ?? 0)).toFixed(0)} MiB`

// ---------------------------------------------------------------- the import

async function benchImport(rows: number, options: DirectoryOptions, root: string, add: (row: DirectoryRow) => void): Promise<void> {
  const csvPath = join(root, `import-${rows}.csv`)
  const csv = importCsv(rows)
  writeFileSync(csvPath, csv)
  const ours: { ms: number; rss: number | null }[] = []
  const floor: { ms: number; rss: number | null }[] = []
  let answer: ReturnType<typeof contents> | null = null
  for (let i = 0; i < options.runs; i++) {
    const db = freshDirectory(root, 'import')
    try {
      const run = maxRssMiB([CLI, '--db', db, 'import', 'users', csvPath, '--json'])
      const result = JSON.parse(run.stdout) as { created: number; errors: unknown[] }
      if (result.created !== rows || result.errors.length > 0) throw new Error(`twofa-admin import users created ${result.created} of ${rows}: ${run.stdout.slice(0, 500)}`)
      ours.push(run)
      answer ??= contents(db)
    } finally {
      removeDirectory(db)
    }
    const bare = freshDirectory(root, 'import-floor')
    try {
      const run = maxRssMiB(['-e', IMPORT_FLOOR_PROGRAM, bare, csvPath], { cwd: ROOT, env: { BENCH_CHAIN_KEY: chainKeyHex(bare) } })
      if ((JSON.parse(run.stdout) as { created: number }).created !== rows) throw new Error(`The import floor answered ${run.stdout}.`)
      floor.push(run)
      if (i === 0 && answer !== null) sameAnswer(`The import of ${rows} rows`, answer, contents(bare))
    } finally {
      removeDirectory(bare)
    }
  }
  // Whether the resident set is rows held or a heap collected lazily: once more with a small V8 heap, which the
  // process can live in only if it collects as it goes.
  let capped = ''
  if (rows === Math.max(...options.importRows)) {
    const db = freshDirectory(root, 'import-capped')
    try {
      const run = maxRssMiB([`--max-old-space-size=${CAPPED_HEAP_MIB}`, CLI, '--db', db, 'import', 'users', csvPath, '--json'])
      const created = (JSON.parse(run.stdout) as { created: number }).created
      capped = `; with V8's heap capped at ${CAPPED_HEAP_MIB} MiB (node --max-old-space-size=${CAPPED_HEAP_MIB}) it ${created === rows ? 'also completes' : `created only ${created}`}: ${seconds(run.ms)} s, largest resident set ${rssText([run.rss])}`
    } catch (error) {
      capped = `; with V8's heap capped at ${CAPPED_HEAP_MIB} MiB it fails: ${(error as Error).message.split('\n')[0]}`
    } finally {
      removeDirectory(db)
    }
  }
  add({
    group: 'Import',
    operation: '`twofa-admin import users FILE` (new process)',
    size: rows,
    ours: toStats(ours.map((run) => run.ms)),
    floor: toStats(floor.map((run) => run.ms)),
    rss: ours.map((run) => run.rss),
    floorRss: floor.map((run) => run.rss),
    target: IMPORT_TARGET,
    note:
      'onto a fresh `twofa-admin init` directory: every row checked, staged (duplicates), applied through the rules of a single change with one keyed audit entry each, all in one transaction; ' +
      'floor: a plain node program (a new process too) streaming the file through csv-parse and inserting each user and one chained HMAC audit entry in one transaction, no checks; ' +
      "the bench checks both directories hold the same users (count and a hash of every user's fields) and as many audit entries",
    detail: `${answer === null ? '?' : answer.users.toLocaleString('en')} users and ${answer === null ? '?' : answer.audit.toLocaleString('en')} audit entries in both directories${capped}`
  })

  // ---- The same file through the dispatcher, as the screens send it: the background worker does the work.
  if (Buffer.byteLength(csv) > MAX_IMPORT_BYTES) {
    console.log(`${rows.toLocaleString('en').padStart(10)}  (the screens' import skipped: ${(Buffer.byteLength(csv) / 2 ** 20).toFixed(0)} MiB is over the screens' limit of ${MAX_IMPORT_BYTES / 2 ** 20} MiB)`)
    return
  }
  const backgroundWorker = join(ROOT, 'out', 'background', 'worker.js')
  if (!existsSync(backgroundWorker)) throw new Error(`${backgroundWorker} is missing: run node scripts/build-node.mjs.`)
  const dryRuns: number[] = []
  const imports: number[] = []
  const progressCalls: number[] = []
  let longestStall = 0
  let worstP99 = 0
  for (let i = 0; i < options.runs; i++) {
    const db = freshDirectory(root, 'import-screens')
    const core = openCore({ dbPath: db, keyProvider: fileKeyProvider(db), backgroundWorker })
    try {
      let started = process.hrtime.bigint()
      const dry = await call(core, CLI_CALLER, 'importUsers', { csv, dryRun: true })
      dryRuns.push(since(started))
      if (dry.applied || dry.created !== rows || dry.errorsTotal > 0) throw new Error(`The dry run answered ${JSON.stringify({ ...dry, changes: dry.changes.length })}.`)
      // A fresh monitor per run: re-enabling one counts the time it was off as a delay.
      const loop = monitorEventLoopDelay({ resolution: 1 })
      loop.enable()
      started = process.hrtime.bigint()
      let finished = false
      const running = call(core, CLI_CALLER, 'importUsers', { csv, dryRun: false }).finally(() => (finished = true))
      // Meanwhile the screen asks how far it got, as the Import dialog does (bounded: it ends with the import, or after 10 minutes).
      while (!finished && since(started) < 10 * 60_000) {
        const asked = process.hrtime.bigint()
        await call(core, CLI_CALLER, 'getImportProgress', {})
        progressCalls.push(since(asked))
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const result = await running
      imports.push(since(started))
      loop.disable()
      longestStall = Math.max(longestStall, loop.max / 1e6 - 1)
      worstP99 = Math.max(worstP99, loop.percentile(99) / 1e6 - 1)
      if (!result.applied || result.created !== rows) throw new Error(`The import answered ${JSON.stringify({ ...result, changes: result.changes.length })}.`)
      if (i === 0 && answer !== null) sameAnswer(`The screens' import of ${rows} rows`, answer, contents(db))
    } finally {
      core.close()
      removeDirectory(db)
    }
  }
  const progress = toStats(progressCalls)
  add({
    group: 'Import',
    operation: 'importUsers through the dispatcher (worker)',
    size: rows,
    ours: toStats(imports),
    floor: toStats(floor.map((run) => run.ms)),
    note: "as the screens call it: the file's text to the background worker thread, which reads, checks and applies it on a connection of its own, while the screen asks getImportProgress every 50 ms; floor: the import floor's new process (above)",
    detail: `longest event-loop stall of the calling thread ${Math.max(0, longestStall).toFixed(1)} ms (p99 of its delay ${Math.max(0, worstP99).toFixed(1)} ms, the worst run's); ${progress.runs} getImportProgress calls meanwhile, p50 ${progress.p50.toFixed(2)} ms, p95 ${progress.p95.toFixed(2)} ms`
  })
  add({ group: 'Import', operation: 'importUsers dry run (worker)', size: rows, ours: toStats(dryRuns), note: 'the real run, undone: every row checked and applied, then rolled back' })
}

// ---------------------------------------------------------------- the sync

async function benchSync(entries: number, options: DirectoryOptions, root: string, add: (row: DirectoryRow) => void, started: Map<number, number>): Promise<void> {
  const t0 = process.hrtime.bigint()
  let server: Slapd | null = null
  try {
    server = await startSlapd({ users: entries, sizeLimit: 500 })
    started.set(entries, since(t0))
    const slapd = server
    const configure = (db: string) => {
      const result = spawnSync(process.execPath, [CLI, '--db', db, 'ldap', 'set', '--url', slapd.url, '--base-dn', slapd.baseDn, '--bind-dn', slapd.serviceDn, '--bind-password-stdin'], {
        encoding: 'utf8',
        input: slapd.servicePassword,
        timeout: 60_000
      })
      if (result.status !== 0) throw new Error(`twofa-admin ldap set failed: ${result.stderr}`)
    }
    const sync = (db: string) => {
      const run = maxRssMiB([CLI, '--db', db, 'ldap', 'sync', '--json'])
      return { ...run, result: JSON.parse(run.stdout) as { created: number; updated: number; disabled: number; reenabled: number; unchanged: number; errors: unknown[] } }
    }
    const floorSync = (db: string, mode: 'create' | 'compare') => {
      const run = maxRssMiB(['-e', SYNC_FLOOR_PROGRAM, db, slapd.url, slapd.baseDn, slapd.serviceDn, mode], { cwd: ROOT, env: { BENCH_BIND_PASSWORD: slapd.servicePassword } })
      return { ...run, result: JSON.parse(run.stdout) as { created?: number; unchanged?: number } }
    }

    const firsts: { ms: number; rss: number | null }[] = []
    const floorFirsts: { ms: number; rss: number | null }[] = []
    let synced: string | null = null
    let answer: ReturnType<typeof contents> | null = null
    try {
      for (let i = 0; i < options.runs; i++) {
        const db = freshDirectory(root, 'sync')
        configure(db)
        const run = sync(db)
        if (run.result.created !== entries || run.result.errors.length > 0) throw new Error(`The first sync of ${entries} entries answered ${run.stdout.slice(0, 500)}.`)
        firsts.push(run)
        // The last one stays, for the second sync.
        if (synced !== null) removeDirectory(synced)
        synced = db
        answer ??= contents(db)
        const bare = freshDirectory(root, 'sync-floor')
        try {
          const floorRun = floorSync(bare, 'create')
          if (floorRun.result.created !== entries) throw new Error(`The sync floor answered ${floorRun.stdout}.`)
          floorFirsts.push(floorRun)
          // The same users; the floor writes no audit entries.
          if (i === 0 && answer !== null) sameAnswer(`The sync of ${entries} entries`, answer, contents(bare), false)
        } finally {
          removeDirectory(bare)
        }
      }
      add({
        group: 'Directory sync',
        operation: '`twofa-admin ldap sync --json`, first (new process)',
        size: entries,
        ours: toStats(firsts.map((run) => run.ms)),
        floor: toStats(floorFirsts.map((run) => run.ms)),
        rss: firsts.map((run) => run.rss),
        floorRss: floorFirsts.map((run) => run.rss),
        detail: `${answer === null ? '?' : answer.users.toLocaleString('en')} users and ${answer === null ? '?' : answer.audit.toLocaleString('en')} audit entries after it`,
        note:
          'creates every user: a paged read (200 a page) of the whole directory, staged, then applied in one transaction with one keyed audit entry each; ' +
          'floor: a plain node program (a new process) with one paged ldapts search of the same entries and attributes, inserting the users with better-sqlite3 in one transaction; it leaves out the audit entries, the rules (emails held by local users, the last administrator), the diff against the users already here and the disabling of those who left; the bench checks both hold the same users'
      })

      const seconds: { ms: number; rss: number | null }[] = []
      const floorSeconds: { ms: number; rss: number | null }[] = []
      const target = synced as string
      const auditBefore = contents(target).audit
      for (let i = 0; i < options.runs; i++) {
        const run = sync(target)
        if (run.result.unchanged !== entries || run.result.created + run.result.updated + run.result.disabled + run.result.reenabled > 0) {
          throw new Error(`The second sync of ${entries} entries answered ${run.stdout.slice(0, 500)}.`)
        }
        seconds.push(run)
        const floorRun = floorSync(target, 'compare')
        if (floorRun.result.unchanged !== entries) throw new Error(`The compare floor answered ${floorRun.stdout}.`)
        floorSeconds.push(floorRun)
      }
      const auditAfter = contents(target).audit
      add({
        group: 'Directory sync',
        operation: '`twofa-admin ldap sync --json`, again: no change',
        size: entries,
        ours: toStats(seconds.map((run) => run.ms)),
        floor: toStats(floorSeconds.map((run) => run.ms)),
        rss: seconds.map((run) => run.rss),
        floorRss: floorSeconds.map((run) => run.rss),
        note: 'the same directory read again, every entry compared, nothing changed; floor: the same paged search, then each entry looked up by its id and compared, writing nothing',
        detail: `${((auditAfter - auditBefore) / options.runs).toFixed(0)} audit entry per sync (its 'directory.synced')`
      })
    } finally {
      if (synced !== null) removeDirectory(synced)
    }
  } finally {
    await server?.dispose()
  }
}

// ---------------------------------------------------------------- the part

export async function benchDirectory(options: DirectoryOptions, rows: DirectoryRow[]): Promise<{ slapdStarts: Map<number, number> }> {
  const root = mkdtempSync(join(benchDir(), 'directory-'))
  const add = (row: DirectoryRow) => {
    rows.push(row)
    printRow(row)
    const rss = rssText(row.rss)
    if (rss !== '') console.log(`${''.padStart(10)}  largest resident set ${rss}${row.floorRss ? `, floor ${rssText(row.floorRss)}` : ''}`)
  }
  const slapdStarts = new Map<number, number>()
  try {
    for (const size of options.importRows) await benchImport(size, options, root, add)
    for (const size of options.ldapSizes) await benchSync(size, options, root, add, slapdStarts)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return { slapdStarts }
}

const seconds = (value: number): string => (value / 1000).toFixed(value >= 10_000 ? 1 : 2)

/** Memory is flat when the resident set at the most rows is within FLAT_FACTOR of the fewest's (the floor's growth beside it). */
function flatness(rows: DirectoryRow[]): { flat: boolean; text: string } | null {
  const imports = rows.filter((row) => row.rss !== undefined && row.operation.startsWith('`twofa-admin import')).sort((a, b) => a.size - b.size)
  const first = imports[0]
  const last = imports[imports.length - 1]
  if (first === undefined || last === undefined || first === last) return null
  const largest = (values: (number | null)[] | undefined) => Math.max(...(values ?? []).map((value) => value ?? NaN))
  const [low, high] = [largest(first.rss), largest(last.rss)]
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null
  const [floorLow, floorHigh] = [largest(first.floorRss), largest(last.floorRss)]
  const floor = Number.isFinite(floorLow) && Number.isFinite(floorHigh) ? ` (the floor's: ${floorLow.toFixed(0)} MiB, then ${floorHigh.toFixed(0)} MiB, ${(floorHigh / floorLow).toFixed(2)}x)` : ''
  return {
    flat: high <= low * FLAT_FACTOR,
    text: `${low.toFixed(0)} MiB at ${sizeLabel(first.size)} rows, ${high.toFixed(0)} MiB at ${sizeLabel(last.size)}, ${(high / low).toFixed(2)}x${floor}`
  }
}

function verdict(row: DirectoryRow, rows: DirectoryRow[], options: DirectoryOptions): string {
  if (row.target === undefined || row.size !== Math.max(...options.importRows)) return ''
  const flat = flatness(rows)
  const timeOk = row.ours.p95 <= row.target.p95Ms
  const memoryOk = flat === null || flat.flat
  if (timeOk && memoryOk) return row.size >= 100_000 ? 'met' : 'met (at this size)'
  return `**missed** (${[!timeOk ? `p95 ${seconds(row.ours.p95)} s` : '', !memoryOk && flat !== null ? `memory not flat: ${flat.text}` : ''].filter(Boolean).join(', ')})`
}

/** The section of PERFORMANCE.md: what each row measures, `measured` (when, how, on what), the table and its notes. */
export function reportDirectory(rows: DirectoryRow[], options: DirectoryOptions, slapdStarts: Map<number, number>, measured: string[]): string {
  const flat = flatness(rows)
  const stat = (stats: Stats | undefined) => (stats === undefined ? '' : seconds(stats.p50))
  const lines: string[] = [
    '## Import and directory sync',
    '',
    `Issue 10's rows: a CSV import of ${options.importRows.map((n) => n.toLocaleString('en')).join(' and ')} rows, a sync of ${options.ldapSizes.map((n) => n.toLocaleString('en')).join(' and ')} LDAP entries ` +
      '(the export of 1M users is the **Export** row of the users part above: `twofa-admin export users --out FILE`). ' +
      `\`--import-rows ${options.importRows.join(',')} --directory-sizes ${options.ldapSizes.join(',')} --directory-runs ${options.runs}\`: ${options.runs} run(s) of each, every one a new process. ` +
      'Seconds; the largest resident set from GNU time.',
    '',
    '- **`twofa-admin import users FILE`**: a new process importing a generated file (email,name,role,enforce,disabled: names with quoted commas, one administrator in 1,000, enforcement overrides, disabled users) onto a fresh `twofa-admin init` directory. ' +
      'Floor: a plain node program, also a new process, that streams the same file through csv-parse and inserts the same users plus one chained audit entry each (HMAC-SHA-256 of the previous hash and the entry, as the core keys its chain) in one transaction onto an identical fresh directory; ' +
      "the bench checks both directories hold the same users and as many audit entries before it reports. The target: under 60 s at 100k on this machine, with a flat resident set (the largest at 100k within 1.25 times the largest at 10k).",
    '- **importUsers through the dispatcher**: the same text as the screens send it (the dispatcher, `CLI_CALLER`, the background worker thread of the desktop app and the preview), in this process; the event loop of the calling thread is sampled every millisecond meanwhile, ' +
      'and the screen asks getImportProgress every 50 ms: the longest stall says whether the thread that answers the screens stays free. Its floor is the import floor above. The dry run is the real run, rolled back.',
    '- **`twofa-admin ldap sync --json`**: against a real OpenLDAP (slapd) the bench starts with the test helper `startSlapd({ users: N, sizeLimit: 500 })`, read with the service account (subject to the size limit of 500, so only a paged read gets everything), ' +
      'configured with `twofa-admin ldap set ... --bind-password-stdin`; the first sync onto a fresh directory (creates every user) and then the same sync again (nothing changes). ' +
      'Floor: a plain node program with one paged ldapts search (200 a page) of the same entries and attributes and a better-sqlite3 insert of the users in one transaction (for the second sync: a look-up and comparison of each entry, writing nothing); ' +
      'it leaves out the audit entries, the rules and the diff, so the ratio is an upper bound on the overhead.',
    '',
    ...measured,
    '',
    '| Operation | Size | p50 s | p95 s | floor p50 s | ratio | largest RSS | floor RSS | target | |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|'
  ]
  for (const row of rows) {
    const ratio = row.floor ? (row.ours.p50 / row.floor.p50).toFixed(2) : ''
    lines.push(
      `| ${row.operation} | ${sizeLabel(row.size)} | ${seconds(row.ours.p50)} | ${seconds(row.ours.p95)} | ${row.floor && !row.operation.startsWith('importUsers through') ? stat(row.floor) : row.floor ? `${stat(row.floor)} (import floor)` : ''} | ${ratio} | ${rssText(row.rss)} | ${rssText(row.floorRss)} | ${
        row.target !== undefined && row.size === Math.max(...options.importRows) ? row.target.label : ''
      } | ${verdict(row, rows, options)} |`
    )
  }
  lines.push('')
  if (flat !== null) {
    lines.push(`Largest resident set of \`twofa-admin import users\`: ${flat.text}: ${flat.flat ? `flat (within ${FLAT_FACTOR}x)` : `**not flat** (more than ${FLAT_FACTOR}x)`}.`, '')
  }
  lines.push('Notes:')
  for (const operation of [...new Set(rows.map((row) => row.operation))]) {
    const each = rows.filter((row) => row.operation === operation)
    lines.push(`- ${operation}: ${each[0]?.note ?? ''}.`)
    for (const row of each) if (row.detail !== undefined) lines.push(`  - ${sizeLabel(row.size)}: ${row.detail}.`)
  }
  if (slapdStarts.size > 0) {
    lines.push(
      `- slapd: generated with slapadd and started in ${[...slapdStarts.entries()].map(([size, ms]) => `${seconds(ms)} s (${sizeLabel(size)} entries)`).join(', ')}, not timed in any row. ` +
        `The helper holds at most about ${MAX_LDAP_ENTRIES.toLocaleString('en')} entries (an mdb map of 256 MiB; 45 MiB at 50k), and slapadd must finish within its 15 s command timeout.`
    )
  }
  return lines.join('\n')
}

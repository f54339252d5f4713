// npm run bench: how the Users table, the Security page and sign-in perform on
// directories of 10k, 100k and 1M generated users, measured through the same
// dispatcher the screens call, next to the floor (the same SQL run bare with
// better-sqlite3, prepared once) and naive baselines (OFFSET, GROUP BY, LIKE);
// the audit log part (audit-bench.ts) and the import and directory sync part
// (directory-bench.ts), sign-in under load (signin-bench.ts) and the RADIUS service (radius-bench.ts). `--only users|audit|directory|signin|radius` runs one of them.
// scripts/bench/run.mjs bundles this file with esbuild and runs it.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import BetterSqlite3 from 'better-sqlite3'
import type { ApiInput } from '../../src/shared/contract'
import type { AuditAction } from '../../src/shared/domain'
import { chainKeyOf, entryMac } from '../../src/main/core/audit/chain'
import { CLI_CALLER, type Caller } from '../../src/main/core/caller'
import { ManualClock } from '../../src/main/core/clock'
import { DEMO_GENERATOR_VERSION } from '../../src/main/core/demo/demo-directory'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { contextOf, databaseOf, openCore, type Core } from '../../src/main/core/open-core'
import { OWASP_SCRYPT } from '../../src/main/core/crypto/passwords'
import { decryptSecret } from '../../src/main/core/crypto/secrets'
import { base32Decode, checkTotp, codeAt, DEFAULT_TOTP } from '../../src/main/core/crypto/totp'
import { LATEST_VERSION } from '../../src/main/db/migrations'
import {
  CLASS_COUNTS_SQL,
  keyAfterStatement,
  seekUsersStatement,
  type BoundStatement,
  type KeyRange
} from '../../src/main/db/listing-repo'
import { benchAudit, reportAudit, type AuditOptions } from './audit-bench'
import { benchDirectory, MAX_LDAP_ENTRIES, reportDirectory, type DirectoryOptions, type DirectoryRow } from './directory-bench'
import { benchSignIn, reportSignIn, type SignInOptions, type SignInRow } from './signin-bench'
import { benchRadius, reportRadius, type RadiusOptions } from './radius-bench'
import { benchGroups, reportGroups, type GroupsOptions } from './groups-bench'
import { benchFilters, reportFilters, type FiltersOptions } from './filters-bench'
import { benchBulk, reportBulk, type BulkOptions } from './bulk-bench'
import { benchSearch, reportSearch, type SearchOptions } from './search-bench'
import { benchDir, call, maxRssMiB, measure, ms, printRow, since, sizeLabel, toStats, type Row, type Stats } from './common'

const ROOT = resolve(__dirname, '..', '..')

/**
 * The floor of `twofa-admin status --json`: the plainest program that prints the same
 * answer, run as `node -e` with the database path (from the repository, so it finds
 * better-sqlite3).
 */
const STATUS_FLOOR_PROGRAM = `
const Database = require('better-sqlite3')
const db = new Database(process.argv[1], { readonly: true, fileMustExist: true })
const now = Date.now()
const policy = db.prepare('SELECT enforced_for_all, deadline, changed_at, exempt_group_id FROM enforcement_policy WHERE id = 1').get()
const all = policy.enforced_for_all === 1
const deadline = all ? (policy.deadline ?? policy.changed_at ?? 0) : null
// The bench directory has no groups: its classes are the four base classes.
const c = { active: 0, always: 0, inherit: 0, exempt: 0 }
for (const row of db.prepare('SELECT tfa_class, users FROM class_counts').all()) c[row.tfa_class] = row.users
const total = c.active + c.always + c.inherit + c.exempt
const pending = c.always + (all ? c.inherit : 0)
// Overdue: the pending, less the individually enforced still in their grace period, less everyone under the policy while its grace runs.
const inGrace = db.prepare("SELECT count(*) FROM users INDEXED BY users_individual_deadline WHERE enforcement = 'enforced' AND role <> 'admin' AND has_totp = 0 AND enforcement_deadline > ?").pluck().get(now)
const overdue = c.always - inGrace + (all && deadline <= now ? c.inherit : 0)
const exemptionGroup = policy.exempt_group_id === null ? null : db.prepare('SELECT name FROM groups WHERE id = ?').pluck().get(policy.exempt_group_id) ?? null
process.stdout.write(JSON.stringify({ total, active: c.active, pending, inactive: total - c.active - pending, overdue, enforcedForAll: all, deadline: deadline === null ? null : new Date(deadline).toISOString(), exemptionGroup }) + '\\n')
db.close()`
const BENCH_EMAIL = 'bench.admin@bench.example'
const BENCH_PASSWORD = 'bench password for the admin 2026'
const PAGE = 50

interface Options {
  sizes: number[]
  runs: number
  loginRuns: number
  processRuns: number
  rebuild: boolean
  write: boolean
  out: string
  /** Which parts run: the directory of users, the audit log, the import and directory sync, sign-in under load, or all. */
  parts: { users: boolean; audit: boolean; directory: boolean; signin: boolean; radius: boolean; groups: boolean; bulk: boolean; filters: boolean; search: boolean }
  audit: AuditOptions
  directory: DirectoryOptions
  signin: SignInOptions
  radius: RadiusOptions
  groups: GroupsOptions
  filters: FiltersOptions
  bulk: BulkOptions
  search: SearchOptions
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    sizes: [10_000, 100_000, 1_000_000],
    runs: 50,
    loginRuns: 20,
    processRuns: 10,
    rebuild: false,
    write: true,
    out: join(ROOT, 'docs', 'PERFORMANCE.md'),
    parts: { users: true, audit: true, directory: true, signin: true, radius: true, groups: true, bulk: true, filters: true, search: true },
    audit: { sizes: [1_000_000, 10_000_000], runs: 50, fullRuns: 1 },
    directory: { importRows: [10_000, 100_000], ldapSizes: [5_000, 50_000], runs: 3 },
    signin: { clients: 50, seconds: 10 },
    radius: { clients: 50, seconds: 12 },
    groups: { sizes: [100_000, 1_000_000], runs: 30 },
    filters: { sizes: [100_000, 1_000_000], runs: 30 },
    bulk: { sizes: [100_000, 1_000_000], runs: 5 },
    search: { sizes: [1_000_000, 10_000_000], runs: 30 }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const next = argv[++i]
      if (next === undefined) usage(`${arg} needs a value.`)
      return next as string
    }
    if (arg === '--sizes') options.sizes = value().split(',').map((text) => positive(text, '--sizes'))
    else if (arg === '--runs') options.audit.runs = options.runs = Math.max(20, positive(value(), '--runs'))
    else if (arg === '--login-runs') options.loginRuns = Math.max(20, positive(value(), '--login-runs'))
    else if (arg === '--audit-sizes') options.audit.sizes = value().split(',').map((text) => positive(text, '--audit-sizes'))
    else if (arg === '--full-verify-runs') options.audit.fullRuns = positive(value(), '--full-verify-runs')
    else if (arg === '--import-rows') options.directory.importRows = value().split(',').map((text) => positive(text, '--import-rows'))
    else if (arg === '--directory-sizes') {
      options.directory.ldapSizes = value().split(',').map((text) => positive(text, '--directory-sizes'))
      if (options.directory.ldapSizes.some((size) => size > MAX_LDAP_ENTRIES)) usage(`--directory-sizes goes up to ${MAX_LDAP_ENTRIES.toLocaleString('en')} entries (what the slapd helper holds).`)
    } else if (arg === '--directory-runs') options.directory.runs = Math.min(20, positive(value(), '--directory-runs'))
    else if (arg === '--signin-clients') options.signin.clients = positive(value(), '--signin-clients')
    else if (arg === '--signin-seconds') options.signin.seconds = positive(value(), '--signin-seconds')
    else if (arg === '--radius-clients') options.radius.clients = positive(value(), '--radius-clients')
    else if (arg === '--radius-seconds') options.radius.seconds = positive(value(), '--radius-seconds')
    else if (arg === '--only') {
      const part = value()
      if (part !== 'users' && part !== 'audit' && part !== 'directory' && part !== 'signin' && part !== 'radius' && part !== 'groups' && part !== 'bulk' && part !== 'filters' && part !== 'search')
        usage(`--only takes users, audit, directory, signin, radius, groups, bulk, filters or search, not "${part}".`)
      options.parts = { users: part === 'users', audit: part === 'audit', directory: part === 'directory', signin: part === 'signin', radius: part === 'radius', groups: part === 'groups', bulk: part === 'bulk', filters: part === 'filters', search: part === 'search' }
    } else if (arg === '--search-sizes') {
      options.search.sizes = value().split(',').map((text) => positive(text, '--search-sizes'))
    } else if (arg === '--filters-sizes') {
      options.filters.sizes = value().split(',').map((text) => positive(text, '--filters-sizes'))
    } else if (arg === '--groups-sizes') {
      options.groups.sizes = value().split(',').map((text) => positive(text, '--groups-sizes'))
    } else if (arg === '--bulk-sizes') {
      options.bulk.sizes = value().split(',').map((text) => positive(text, '--bulk-sizes'))
    } else if (arg === '--bulk-runs') {
      options.bulk.runs = positive(value(), '--bulk-runs')
    } else if (arg === '--rebuild') options.rebuild = true
    else if (arg === '--no-write') options.write = false
    else if (arg === '--out') options.out = resolve(value())
    else usage(`Unknown option "${arg}".`)
  }
  return options
}

function positive(text: string, flag: string): number {
  const value = Number(text.replace(/_/g, ''))
  if (!Number.isSafeInteger(value) || value < 1) usage(`${flag} takes whole numbers, not "${text}".`)
  return value
}

function usage(message: string): never {
  console.error(`bench: ${message} Usage: npm run bench -- [--sizes 10000,100000,1000000] [--runs N>=20] [--login-runs N>=20] [--audit-sizes 1000000,10000000] [--full-verify-runs N] [--import-rows 10000,100000] [--directory-sizes 5000,50000] [--directory-runs N] [--signin-clients 50] [--signin-seconds 10] [--radius-clients 50] [--radius-seconds 12] [--groups-sizes 100000,1000000] [--bulk-sizes 100000,1000000] [--bulk-runs N] [--filters-sizes 100000,1000000] [--search-sizes 1000000,10000000] [--only users|audit|directory|signin|radius|groups|bulk|filters|search] [--rebuild] [--no-write] [--out FILE]`)
  process.exit(2)
}

// -------------------------------------------------------------- databases

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '.key', '.audit-head']) rmSync(`${path}${suffix}`, { force: true })
}

/** Builds (once) and caches a seeded directory; the name changes with the schema and the generator. */
async function ensureDatabase(users: number, rebuild: boolean): Promise<{ path: string; seededMs: number | null }> {
  const path = join(benchDir(), `demo-${users}-seed1-schema${LATEST_VERSION}-gen${DEMO_GENERATOR_VERSION}.db`)
  if (rebuild) removeDatabase(path)
  if (existsSync(path)) return { path, seededMs: null }
  // Seeded under a temporary name, so an interrupted build is never mistaken for a finished one;
  // by the CLI in its own process, so none of the load's garbage is left in the heap being measured.
  const partial = `${path}.partial`
  removeDatabase(partial)
  process.stdout.write(`Seeding ${users.toLocaleString('en')} demo users into ${path} ... `)
  const started = performance.now()
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', partial, 'seed-demo', '--users', String(users), '--seed', '1'], {
    encoding: 'utf8'
  })
  if (result.status !== 0) throw new Error(`twofa-admin seed-demo failed: ${result.stderr}`)
  const seededMs = performance.now() - started
  console.log(`${(seededMs / 1000).toFixed(1)} s`)
  renameSync(`${partial}.key`, `${path}.key`)
  if (existsSync(`${partial}.audit-head`)) renameSync(`${partial}.audit-head`, `${path}.audit-head`)
  renameSync(partial, path)
  return { path, seededMs }
}

// --------------------------------------------------------------- the rows

const TARGETS = {
  list: { p95Ms: 2, maxRatio: 1.5, label: 'p95 < 2 ms, <= 1.5x floor' },
  counts: { p95Ms: 1, label: 'p95 < 1 ms' },
  policy: { p95Ms: 5, label: 'p95 < 5 ms' },
  totp: { p95Ms: 0.1, label: 'p95 < 0.1 ms' },
  login: { p95Ms: 500, label: 'p95 < 500 ms' }
} as const

/** The bench administrator, freshly enrolled: returns the signed-in screen and the TOTP secret. */
async function benchAdmin(core: Core, clock: ManualClock): Promise<{ caller: Caller; secret: Buffer }> {
  let existing: number | null
  try {
    existing = core.local.findUserIdByEmail(BENCH_EMAIL)
  } catch {
    existing = null
  }
  if (existing === null) {
    await call(core, CLI_CALLER, 'createUser', { name: 'Bench Admin', email: BENCH_EMAIL, role: 'admin', password: BENCH_PASSWORD })
  } else {
    // Start from a known secret on every run of the bench.
    await call(core, CLI_CALLER, 'resetTwoFactor', { userId: existing })
  }
  const caller: Caller = { kind: 'session', holder: { sessionId: null } }
  const step = await call(core, caller, 'login', { email: BENCH_EMAIL, password: BENCH_PASSWORD })
  if (step.step !== 'enrollment-required') throw new Error(`Unexpected login step ${step.step}.`)
  const enrollment = await call(core, caller, 'startEnrollment', {})
  const secret = base32Decode(new URL(enrollment.otpauthUri).searchParams.get('secret') ?? '')
  await call(core, caller, 'confirmEnrollment', { code: codeAt(secret, clock.now()) })
  clock.advance(30_000)
  return { caller, secret }
}

/** The floor of the export: a plain node program that reads every user with one iterated statement and writes each as a line, with no quoting and no status rule. */
const EXPORT_FLOOR_PROGRAM = `
const fs = require('node:fs')
const Database = require('better-sqlite3')
const db = new Database(process.argv[1], { readonly: true, fileMustExist: true })
const fd = fs.openSync(process.argv[2], 'wx', 0o600)
let chunk = ''
for (const row of db.prepare('SELECT u.email, u.name, u.role, u.enforcement, u.disabled, c.confirmed_at FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ORDER BY u.email').raw().iterate()) {
  chunk += row.join(',') + '\\r\\n'
  if (chunk.length > 65536) { fs.writeSync(fd, chunk); chunk = '' }
}
fs.writeSync(fd, chunk)
fs.fsyncSync(fd)
fs.closeSync(fd)
db.close()`

function db0Export(path: string, file: string): Stats {
  const samples: number[] = []
  for (let i = 0; i < 3; i++) {
    rmSync(file, { force: true })
    const started = process.hrtime.bigint()
    const result = spawnSync(process.execPath, ['-e', EXPORT_FLOOR_PROGRAM, path, file], { cwd: ROOT, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`The export floor program failed: ${result.stderr}`)
    samples.push(since(started))
  }
  return toStats(samples)
}

/** Runs a bound statement as the floor does: prepared once, then only executed. */
function bare(db: BetterSqlite3.Database, statement: BoundStatement, pluck = false): () => unknown[] {
  const prepared = db.prepare(statement.sql)
  if (pluck) prepared.pluck()
  return () => prepared.all(statement.params)
}

async function benchSize(users: number, options: Options, rows: Row[], seeded: Map<number, number | null>): Promise<void> {
  const { path, seededMs } = await ensureDatabase(users, options.rebuild)
  seeded.set(users, seededMs)
  const runs = options.runs
  const add = (row: Omit<Row, 'size'>) => {
    const full = { ...row, size: users }
    rows.push(full)
    printRow(full)
  }

  // ---- Opening: what `twofa-admin status` costs, in process and as a new process.
  add({
    group: 'Opening',
    operation: 'open the database + Security counts + close',
    ours: await measure(runs, async () => {
      const core = openCore({ dbPath: path, keyProvider: fileKeyProvider(path) })
      await call(core, CLI_CALLER, 'getSecurityOverview', {})
      core.close()
    }),
    floor: await measure(runs, () => {
      const db = new BetterSqlite3(path)
      db.prepare(CLASS_COUNTS_SQL).all()
      db.close()
    }),
    note: 'floor: open with better-sqlite3 and read the four counters'
  })
  const cli = join(ROOT, 'bin', 'twofa-admin.cjs')
  const statusOurs = spawnSync(process.execPath, [cli, '--db', path, 'status', '--json'], { encoding: 'utf8' }).stdout
  const statusFloor = spawnSync(process.execPath, ['-e', STATUS_FLOOR_PROGRAM, path], { encoding: 'utf8', cwd: ROOT }).stdout
  if (statusOurs !== statusFloor) throw new Error(`The status floor answers ${statusFloor} where twofa-admin status --json answers ${statusOurs}.`)
  add({
    group: 'Opening',
    operation: '`twofa-admin status --json` (new process)',
    ours: await measure(
      options.processRuns,
      () => {
        const result = spawnSync(process.execPath, [cli, '--db', path, 'status', '--json'], { encoding: 'utf8' })
        if (result.status !== 0) throw new Error(`twofa-admin status failed: ${result.stderr}`)
      },
      1
    ),
    floor: await measure(
      options.processRuns,
      () => {
        const result = spawnSync(process.execPath, ['-e', STATUS_FLOOR_PROGRAM, path], { encoding: 'utf8', cwd: ROOT })
        if (result.status !== 0) throw new Error(`The status floor program failed: ${result.stderr}`)
      },
      1
    ),
    note: 'floor: a plain node program that opens the file with better-sqlite3, reads the policy and the four counters and prints the same JSON'
  })

  // ---- The 2FA report: every user out as CSV, streamed by a new process into a file.
  const exportFile = join(benchDir(), `export-${users}.csv`)
  const exports: { ms: number; rss: number | null }[] = []
  for (let i = 0; i < Math.min(3, options.processRuns); i++) {
    rmSync(exportFile, { force: true })
    exports.push(maxRssMiB([cli, '--db', path, 'export', 'users', '--out', exportFile]))
  }
  const exportedLines = readFileSync(exportFile, 'utf8').split('\r\n').length - 2
  const counter = new BetterSqlite3(path, { readonly: true })
  const inDirectory = counter.prepare('SELECT count(*) FROM users').pluck().get() as number
  counter.close()
  if (exportedLines !== inDirectory) throw new Error(`The export holds ${exportedLines} users, not ${inDirectory}.`)
  const exportFloor = db0Export(path, exportFile)
  rmSync(exportFile, { force: true })
  add({
    group: 'Export',
    operation: '`twofa-admin export users --out FILE` (new process)',
    ours: toStats(exports.map((run) => run.ms)),
    floor: exportFloor,
    target: { p95Ms: 20_000, label: 'under 20 s at 1M, flat memory' },
    note: `largest resident set ${exports.map((run) => (run.rss === null ? '?' : `${run.rss.toFixed(0)} MiB`)).join(', ')}; floor: a plain node program (a new process too) iterating one better-sqlite3 statement and writing each row joined by commas, no CSV quoting, no status rule`
  })

  const clock = new ManualClock(Date.now())
  const core = openCore({ dbPath: path, keyProvider: fileKeyProvider(path), clock, passwordKdf: OWASP_SCRYPT })
  const db = databaseOf(core)
  // The bare floors append audit entries the way the core does: keyed links, so the chain stays whole.
  const chainKey = chainKeyOf(fileKeyProvider(path).getDataKey())
  try {
    const { caller: admin, secret } = await benchAdmin(core, clock)
    const list = (input: ApiInput<'listUsers'>) => call(core, admin, 'listUsers', input)
    const policy = db.prepare('SELECT enforced_for_all, changed_at, changed_by FROM enforcement_policy WHERE id = 1')
    const counts = db.prepare(CLASS_COUNTS_SQL)
    const total = users + 1

    // ---- The Users table
    const firstPage = bare(db, seekUsersStatement({ order: 'name', direction: 'asc', limit: PAGE + 1 }))
    const naiveFirst = db.prepare(`SELECT u.*, c.confirmed_at FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ORDER BY u.name_key, u.id LIMIT ${PAGE + 1}`)
    const naiveCount = db.prepare('SELECT count(*) FROM users')
    add({
      group: 'Users table',
      operation: 'first page (50 by name)',
      ours: await measure(runs, () => list({ limit: PAGE })),
      floor: await measure(runs, () => {
        policy.get()
        firstPage()
        counts.all()
      }),
      naive: { label: 'LIMIT + count(*)', stats: await measure(runs, () => [naiveFirst.all(), naiveCount.get()]) },
      target: TARGETS.list
    })

    // ---- Jumps to a scroll position: the first builds the signposts of the name order (once), the others
    // seek from the nearest signpost. Timed apart first: what the first jump waits, and the longest the
    // event loop stalled meanwhile (the build runs in slices between its turns).
    const nameRange: KeyRange = { order: 'name' }
    const buildSamples: number[] = []
    const buildLoop = monitorEventLoopDelay({ resolution: 1 })
    buildLoop.enable()
    for (let i = 0; i < options.processRuns; i++) {
      contextOf(core).signposts.clear()
      const started = process.hrtime.bigint()
      await list({ limit: PAGE, position: Math.floor(total / 2) })
      buildSamples.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    buildLoop.disable()
    add({
      group: 'Users table',
      operation: 'first jump by name: signposts built (once per order and filter)',
      ours: toStats(buildSamples),
      note: `one index walk in slices of at most 4 ms; longest event-loop stall during the ${options.processRuns} builds: ${Math.max(0, buildLoop.max / 1e6 - 1).toFixed(1)} ms`
    })
    const signposts = contextOf(core).signposts.current(db, nameRange)
    const keyStep = db.prepare(keyAfterStatement(nameRange, { text: '', id: 0 }, 0).sql)
    const pageFrom = db.prepare(seekUsersStatement({ order: 'name', direction: 'asc', limit: PAGE + 1, after: { text: '', id: 0 } }).sql)
    const naiveDeep = db.prepare(
      `SELECT u.*, c.confirmed_at FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ORDER BY u.name_key, u.id LIMIT ${PAGE + 1} OFFSET ?`
    )
    for (const [label, position] of [
      ['10%', Math.floor(total * 0.1)],
      ['50%', Math.floor(total * 0.5)],
      ['90%', Math.floor(total * 0.9)],
      ['the last row', total - 1]
    ] as const) {
      const index = Math.floor(position / signposts.every)
      const signpost = signposts.keys[index]!
      const stepParams = keyAfterStatement(nameRange, signpost, position - index * signposts.every).params
      const page = await list({ limit: PAGE, position })
      if (page.start !== position || page.users.length !== Math.min(PAGE, total - position)) throw new Error(`The jump to ${label} answered the wrong page.`)
      add({
        group: 'Users table',
        operation: `jump to ${label} (position, by name)`,
        ours: await measure(runs, () => list({ limit: PAGE, position })),
        floor: await measure(runs, () => {
          policy.get()
          counts.all()
          const key = keyStep.get(stepParams) as { text: string; id: number }
          pageFrom.all({ limit: PAGE + 1, afterText: key.text, afterId: key.id - 1 })
        }),
        naive: { label: 'OFFSET', stats: await measure(runs, () => naiveDeep.all(position)) },
        target: TARGETS.list
      })
    }

    // Searches: scripts/bench/search-bench.ts (`--only search`), at 1M and 10M users.

    // A jump right after a write: each rename moves one key of the name order, and the signposts
    // follow it from the key change log (listing/signpost-set.ts) instead of walking the index again.
    const middle = Math.floor(total / 2)
    const renamed = db.prepare("SELECT id FROM users WHERE role = 'user' AND id % 997 = ? LIMIT 1").pluck()
    const afterWrite: number[] = []
    for (let i = 0; i < runs + 3; i++) {
      const userId = renamed.get(i % 997) as number
      await call(core, admin, 'updateUser', { userId, name: `Bench Renamed ${String(i).padStart(3, '0')}` })
      const started = process.hrtime.bigint()
      const page = await list({ limit: PAGE, position: middle })
      if (page.start !== middle) throw new Error('The jump after a write answered the wrong page.')
      if (i >= 3) afterWrite.push(since(started))
    }
    const middleIndex = Math.floor(middle / signposts.every)
    const middleParams = keyAfterStatement(nameRange, contextOf(core).signposts.current(db, nameRange).keys[middleIndex]!, middle - middleIndex * signposts.every).params
    add({
      group: 'Users table',
      operation: 'jump to 50% right after a rename',
      ours: toStats(afterWrite),
      floor: await measure(runs, () => {
        policy.get()
        counts.all()
        const key = keyStep.get(middleParams) as { text: string; id: number }
        pageFrom.all({ limit: PAGE + 1, afterText: key.text, afterId: key.id - 1 })
      }),
      naive: { label: 'OFFSET', stats: await measure(runs, () => naiveDeep.all(middle)) },
      target: { p95Ms: 50, label: 'p95 < 50 ms' },
      note: 'ours: the rename is committed first (untimed), then the jump is timed; floor: the seek from a signpost kept by hand, as for the other jumps'
    })

    const naiveStatus = `CASE WHEN c.user_id IS NOT NULL THEN 'active'
      WHEN u.role = 'admin' OR u.enforcement = 'enforced' OR (u.enforcement = 'inherit' AND @policy = 1) THEN 'pending' ELSE 'inactive' END`
    for (const [status, classes] of [
      ['pending', ['always']],
      ['inactive', ['inherit', 'exempt']]
    ] as const) {
      const seeks = classes.map((twoFactorClass) => bare(db, seekUsersStatement({ order: 'name', direction: 'asc', limit: PAGE + 1, twoFactorClass })))
      const naiveFilter = db.prepare(
        `SELECT u.*, c.confirmed_at FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id
         WHERE (${naiveStatus}) = @status ORDER BY u.name_key, u.id LIMIT ${PAGE + 1}`
      )
      const naiveFilterCount = db.prepare(`SELECT count(*) FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id WHERE (${naiveStatus}) = @status`)
      add({
        group: 'Users table',
        operation: `status filter "${status}" (${classes.length === 1 ? 'one class' : 'two classes merged'})`,
        ours: await measure(runs, () => list({ limit: PAGE, status })),
        floor: await measure(runs, () => {
          policy.get()
          for (const seek of seeks) seek()
          counts.all()
        }),
        naive: { label: 'CASE filter + count', stats: await measure(runs, () => [naiveFilter.all({ policy: 0, status }), naiveFilterCount.get({ policy: 0, status })]) },
        target: TARGETS.list
      })
    }

    // ---- The Security page
    const naiveDistribution = db.prepare(`SELECT ${naiveStatus} AS status, count(*) FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id GROUP BY 1`)
    const naiveInheriting = db.prepare(
      "SELECT count(*) FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id WHERE c.user_id IS NULL AND u.role <> 'admin' AND u.enforcement = 'inherit'"
    )
    add({
      group: 'Security page',
      operation: '2FA distribution (exact counts)',
      ours: await measure(runs, () => call(core, admin, 'getSecurityOverview', {})),
      floor: await measure(runs, () => [policy.get(), counts.all()]),
      naive: { label: 'GROUP BY', stats: await measure(runs, () => [naiveDistribution.all({ policy: 0 }), naiveInheriting.get()]) },
      target: TARGETS.counts
    })

    // Each click is one durable transaction (synchronous=FULL: an fsync), plus the counts.
    const lastAudit = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
    const insertAudit = db.prepare(
      'INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (@id, @at, @actor, @action, @target, @details, @prevHash, @hash)'
    )
    const writePolicy = db.prepare('UPDATE enforcement_policy SET enforced_for_all = ?, changed_at = ?, changed_by = ? WHERE id = 1')
    const barePolicy = db.transaction((enforce: boolean) => {
      const now = clock.now()
      writePolicy.run(enforce ? 1 : 0, now, BENCH_EMAIL)
      const last = lastAudit.get() as { id: number; hash: string }
      const action: AuditAction = enforce ? 'enforcement.all-enforced' : 'enforcement.all-revoked'
      const entry = { id: last.id + 1, at: now, actor: BENCH_EMAIL, action, target: null, details: '{}' }
      insertAudit.run({ ...entry, prevHash: last.hash, hash: entryMac(chainKey, last.hash, entry) })
    })
    const enforceSamples: number[] = []
    const revokeSamples: number[] = []
    const floorEnforce: number[] = []
    const floorRevoke: number[] = []
    const time = async (into: number[], fn: () => unknown) => {
      const started = process.hrtime.bigint()
      await fn()
      into.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    for (let i = 0; i < runs + 3; i++) {
      const keep = i >= 3
      await time(keep ? enforceSamples : [], () => call(core, admin, 'enforceForAllUsers', {}))
      await time(keep ? revokeSamples : [], () => call(core, admin, 'revokeEnforcement', {}))
      await time(keep ? floorEnforce : [], () => [barePolicy.immediate(true), policy.get(), counts.all()])
      await time(keep ? floorRevoke : [], () => [barePolicy.immediate(false), policy.get(), counts.all()])
    }
    add({ group: 'Security page', operation: 'Enforce 2FA for all users', ours: toStats(enforceSamples), floor: toStats(floorEnforce), target: TARGETS.policy })
    add({ group: 'Security page', operation: 'Revoke enforcement', ours: toStats(revokeSamples), floor: toStats(floorRevoke), target: TARGETS.policy })

    // ---- Sign-in
    const credential = db.prepare('SELECT * FROM totp_credentials WHERE user_id = (SELECT id FROM users WHERE email = ?)')
    const dataKey = fileKeyProvider(path).getDataKey()
    const benchId = (db.prepare('SELECT id FROM users WHERE email = ?').pluck().get(BENCH_EMAIL) as number) ?? 0
    const currentCode = codeAt(secret, clock.now())
    add({
      group: 'Sign-in',
      operation: 'TOTP check (read, decrypt, 3 HMACs, compare)',
      // Sub-0.1 ms: many more runs, so the p95 is not one garbage collection.
      ours: await measure(Math.max(runs, 1000), () => {
        const row = credential.get(BENCH_EMAIL) as { secret_enc: Buffer; last_used_step: number | null }
        const plain = decryptSecret(dataKey, benchId, row.secret_enc)
        const check = checkTotp(plain, currentCode, clock.now(), DEFAULT_TOTP, null)
        plain.fill(0)
        if (!check.valid) throw new Error('The TOTP check failed.')
      }),
      target: TARGETS.totp,
      note: 'the computation verifyCode does before it writes: no KDF, no commit'
    })

    const loginSamples: number[] = []
    const verifySamples: number[] = []
    const floorVerify: number[] = []
    const advance = db.prepare('UPDATE totp_credentials SET last_used_step = @step WHERE user_id = @userId AND (last_used_step IS NULL OR last_used_step < @step)')
    const loginTime = db.prepare('UPDATE users SET last_2fa_login_at = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?')
    const bareVerify = db.transaction((step: number) => {
      advance.run({ step, userId: benchId })
      loginTime.run(clock.now(), benchId)
      const last = lastAudit.get() as { id: number; hash: string }
      const action: AuditAction = 'login.success'
      const entry = { id: last.id + 1, at: clock.now(), actor: BENCH_EMAIL, action, target: BENCH_EMAIL, details: '{"secondFactor":true}' }
      insertAudit.run({ ...entry, prevHash: last.hash, hash: entryMac(chainKey, last.hash, entry) })
    })
    // Samples every millisecond: a stall is how much later than that a sample came.
    // Sampled only while our login runs, not while the bench does its own floor
    // work; a fresh monitor each time, because re-enabling one counts the time
    // it was off as a delay.
    let longestStallMs = 0
    for (let i = 0; i < options.loginRuns + 1; i++) {
      const keep = i >= 1
      clock.advance(30_000)
      const screen: Caller = { kind: 'session', holder: { sessionId: null } }
      const loop = monitorEventLoopDelay({ resolution: 1 })
      loop.enable()
      const started = process.hrtime.bigint()
      const step = await call(core, screen, 'login', { email: BENCH_EMAIL, password: BENCH_PASSWORD })
      if (step.step !== 'second-factor') throw new Error(`Unexpected login step ${step.step}.`)
      const verifyStarted = process.hrtime.bigint()
      await call(core, screen, 'verifyCode', { code: codeAt(secret, clock.now()) })
      const ended = process.hrtime.bigint()
      loop.disable()
      longestStallMs = Math.max(longestStallMs, loop.max / 1e6 - 1)
      if (keep) {
        loginSamples.push(Number(ended - started) / 1e6)
        verifySamples.push(Number(ended - verifyStarted) / 1e6)
      }
      // The floor of the verification: the same reads, the same check, the same transaction, bare,
      // also right after a password check (scrypt's 128 MiB leaves the CPU caches cold).
      clock.advance(30_000)
      await call(core, { kind: 'session', holder: { sessionId: null } }, 'login', { email: BENCH_EMAIL, password: BENCH_PASSWORD })
      const floorStarted = process.hrtime.bigint()
      const row = credential.get(BENCH_EMAIL) as { secret_enc: Buffer; last_used_step: number | null }
      const plain = decryptSecret(dataKey, benchId, row.secret_enc)
      const check = checkTotp(plain, codeAt(secret, clock.now()), clock.now(), DEFAULT_TOTP, row.last_used_step)
      if (!check.valid) throw new Error('The floor TOTP check failed.')
      bareVerify.immediate(check.step)
      if (keep) floorVerify.push(Number(process.hrtime.bigint() - floorStarted) / 1e6)
    }
    add({
      group: 'Sign-in',
      operation: 'TOTP verification (verifyCode, no KDF)',
      ours: toStats(verifySamples),
      floor: toStats(floorVerify),
      note: 'right after the password check; includes the durable commit of the used time step and the audit entry (an fsync)'
    })
    add({
      group: 'Sign-in',
      operation: `full login: password (scrypt N=2^${Math.log2(OWASP_SCRYPT.N)}) + TOTP`,
      ours: toStats(loginSamples),
      target: TARGETS.login,
      note: `longest event-loop stall during the ${options.loginRuns + 1} logins: ${Math.max(0, longestStallMs).toFixed(1)} ms (scrypt runs in the password checks' own worker threads, off the event loop)`
    })
  } finally {
    core.close()
  }
}

// ---------------------------------------------------------------- report

function machine(): Record<string, string> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown'
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(os.availableParallelism?.() ?? os.cpus().length)
  const probe = new BetterSqlite3(':memory:')
  const sqlite = probe.prepare('SELECT sqlite_version()').pluck().get() as string
  probe.close()
  const betterSqlite = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version
  return {
    CPU: `${model} (nproc ${nproc})`,
    Memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} ${os.arch()}`,
    Node: process.version,
    SQLite: `${sqlite} (better-sqlite3 ${betterSqlite}), WAL, synchronous=FULL`,
    'Databases in': benchDir()
  }
}


function verdict(row: Row): string {
  if (!row.target) return ''
  const ratio = row.floor ? row.ours.p50 / row.floor.p50 : null
  const timeOk = row.ours.p95 <= row.target.p95Ms
  const ratioOk = row.target.maxRatio === undefined || ratio === null || ratio <= row.target.maxRatio
  if (timeOk && ratioOk) return 'met'
  return `**missed** (${[!timeOk ? `p95 ${ms(row.ours.p95)} ms` : '', !ratioOk && ratio !== null ? `ratio ${ratio.toFixed(2)}` : ''].filter(Boolean).join(', ')})`
}

function report(rows: Row[], options: Options, seeded: Map<number, number | null>): string {
  const largest = Math.max(...options.sizes)
  const lines: string[] = []
  lines.push(`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --sizes ${options.sizes.join(',')} --runs ${options.runs}\`.`, '')
  lines.push('| Machine | |', '|---|---|')
  for (const [key, value] of Object.entries(machine())) lines.push(`| ${key} | ${value} |`)
  lines.push('')
  lines.push(
    `Milliseconds. **ours**: through the dispatcher the screens call (schema validation, the signed-in admin's session, the service, row mapping); ` +
      `**floor**: the same SQL statements run bare with better-sqlite3, prepared once; **ratio** = ours p50 / floor p50; **naive**: what a straightforward implementation does. ` +
      `${options.runs} runs per measurement after 3 warm-up runs (sign-in: ${options.loginRuns}; new processes: ${options.processRuns}).`,
    ''
  )
  lines.push(`### Summary at ${sizeLabel(largest)} users`, '', '| Operation | p50 | p95 | floor p50 | ratio | naive p50 | target | |', '|---|---:|---:|---:|---:|---:|---|---|')
  for (const row of rows.filter((candidate) => candidate.size === largest)) {
    lines.push(
      `| ${row.operation} | ${ms(row.ours.p50)} | ${ms(row.ours.p95)} | ${row.floor ? ms(row.floor.p50) : ''} | ${row.floor ? (row.ours.p50 / row.floor.p50).toFixed(2) : ''} | ${
        row.naive ? `${ms(row.naive.stats.p50)} (${row.naive.label})` : ''
      } | ${row.target?.label ?? ''} | ${verdict(row)} |`
    )
  }
  lines.push('', '### Every size', '', '| Operation | Users | p50 | p95 | floor p50 | floor p95 | ratio | naive p50 | naive p95 |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  const operations = [...new Set(rows.map((row) => row.operation))]
  for (const operation of operations) {
    for (const row of rows.filter((candidate) => candidate.operation === operation)) {
      lines.push(
        `| ${operation} | ${sizeLabel(row.size)} | ${ms(row.ours.p50)} | ${ms(row.ours.p95)} | ${row.floor ? ms(row.floor.p50) : ''} | ${row.floor ? ms(row.floor.p95) : ''} | ${
          row.floor ? (row.ours.p50 / row.floor.p50).toFixed(2) : ''
        } | ${row.naive ? ms(row.naive.stats.p50) : ''} | ${row.naive ? ms(row.naive.stats.p95) : ''} |`
      )
    }
  }
  const notes = [...new Map(rows.filter((row) => row.note).map((row) => [row.operation, row.note])).entries()]
  if (notes.length > 0) {
    lines.push('', 'Notes:')
    for (const [operation, note] of notes) lines.push(`- ${operation}: ${note}.`)
  }
  const naive = [...new Map(rows.filter((row) => row.naive).map((row) => [row.operation, row.naive!.label])).entries()]
  lines.push('- naive baselines: ' + naive.map(([operation, label]) => `${operation}: ${label}`).join('; ') + '.')
  lines.push('', '| Users | database file | `twofa-admin seed-demo` (new process) |', '|---:|---:|---|')
  for (const users of options.sizes) {
    const path = join(benchDir(), `demo-${users}-seed1-schema${LATEST_VERSION}-gen${DEMO_GENERATOR_VERSION}.db`)
    const seededMs = seeded.get(users)
    lines.push(
      `| ${sizeLabel(users)} | ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB | ${seededMs == null ? 'cached from an earlier run (`--rebuild` to measure)' : `${(seededMs / 1000).toFixed(1)} s`} |`
    )
  }
  return lines.join('\n')
}

/** Replaces what stands between `<!-- marker:start -->` and `<!-- marker:end -->` (appended when they are missing). */
function writeReport(path: string, marker: string, body: string): void {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const block = `${start}\n${body}\n${end}`
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${start}\n${end}\n`
  const from = current.indexOf(start)
  const to = current.indexOf(end)
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(path, next)
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const publish = (marker: string, body: string) => {
    if (options.write) {
      writeReport(options.out, marker, body)
      console.log(`\nWrote the ${marker} part of ${options.out}.`)
    } else {
      console.log(`\n${body}`)
    }
  }
  if (options.parts.users) {
    const rows: Row[] = []
    const seeded = new Map<number, number | null>()
    for (const users of options.sizes) await benchSize(users, options, rows, seeded)
    publish('bench', report(rows, options, seeded))
  }
  if (options.parts.audit) {
    const rows: Row[] = []
    for (const entries of options.audit.sizes) await benchAudit(entries, options.audit, rows)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    publish('audit-bench', [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only audit\`.`, '', ...machineLines, '', reportAudit(rows, options.audit)].join('\n'))
  }
  if (options.parts.directory) {
    const rows: DirectoryRow[] = []
    const load = os.loadavg()[0] ?? 0
    const { slapdStarts } = await benchDirectory(options.directory, rows)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    const busy = `Load average (1 min) ${load.toFixed(2)} before and ${(os.loadavg()[0] ?? 0).toFixed(2)} after, on ${os.availableParallelism?.() ?? os.cpus().length} cores.`
    const measured = [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only directory\`. ${busy}`, '', ...machineLines]
    publish('directory-bench', reportDirectory(rows, options.directory, slapdStarts, measured))
  }
  if (options.parts.signin) {
    const rows: SignInRow[] = []
    await benchSignIn(options.signin, rows)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    publish('signin-bench', reportSignIn(rows, options.signin, [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only signin\`.`, '', ...machineLines]))
  }
  if (options.parts.groups) {
    const rows: Row[] = []
    await benchGroups(options.groups, rows, async (users) => (await ensureDatabase(users, options.rebuild)).path)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    publish('groups-bench', reportGroups(rows, [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only groups\`.`, '', ...machineLines]))
  }
  if (options.parts.bulk) {
    const rows: Row[] = []
    const load = os.loadavg()[0] ?? 0
    await benchBulk(options.bulk, rows, async (users) => (await ensureDatabase(users, options.rebuild)).path)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    const busy = `Load average (1 min) ${load.toFixed(2)} before and ${(os.loadavg()[0] ?? 0).toFixed(2)} after, on ${os.availableParallelism?.() ?? os.cpus().length} cores.`
    publish('bulk-bench', reportBulk(rows, [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only bulk\`. ${busy}`, '', ...machineLines]))
  }
  if (options.parts.filters) {
    const rows: Row[] = []
    await benchFilters(options.filters, rows, async (users) => (await ensureDatabase(users, options.rebuild)).path)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    publish('filters-bench', reportFilters(rows, [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only filters\`.`, '', ...machineLines]))
  }
  if (options.parts.search) {
    const rows: Row[] = []
    const load = os.loadavg()[0] ?? 0
    await benchSearch(options.search, rows, async (users) => (await ensureDatabase(users, options.rebuild)).path)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    const busy = `Load average (1 min) ${load.toFixed(2)} before and ${(os.loadavg()[0] ?? 0).toFixed(2)} after, on ${os.availableParallelism?.() ?? os.cpus().length} cores.`
    publish('search-bench', reportSearch(rows, [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only search\`. ${busy}`, '', ...machineLines]))
  }
  if (options.parts.radius) {
    const result = await benchRadius(options.radius)
    const machineLines = ['| Machine | |', '|---|---|', ...Object.entries(machine()).map(([key, value]) => `| ${key} | ${value} |`)]
    publish('radius-bench', reportRadius(result, [`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --only radius\`.`, '', ...machineLines]))
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).stack ?? String(error)}`)
  process.exit(1)
})

// The groups part of `npm run bench` (issue 12): enforcing a group of 100,000
// members, the 2FA distribution and the Users pages that follow, on a seeded
// directory with groups added, next to the plainest better-sqlite3 program for
// the same answer (and, for enforcing, the per-member rewrite an engine without
// group sets would need). Runs on a copy of the cached demo directory.
import { copyFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { CLI_CALLER } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { readEnforcementPolicy } from '../../src/main/core/enforcement/policy'
import { armSource } from '../../src/main/core/listing/class-selection'
import { openCore } from '../../src/main/core/open-core'
import { CLASS_COUNTS_SQL, seekUsersStatement } from '../../src/main/db/listing-repo'
import { benchDir, call, measure, printRow, since, sizeLabel, toStats, type Row, type Stats } from './common'

export interface GroupsOptions {
  sizes: number[]
  runs: number
}

const PAGE = 50
/** Members of the big group: 100,000, or every user of a smaller directory. */
const BIG_GROUP = 100_000
/** Groups whose combinations make the "many combinations" rows: up to 2^7 sets. */
const TEAMS = 7
/** Users spread over the teams' combinations. */
const TEAM_USERS = 50_000

function prepareCopy(source: string, users: number): string {
  const path = join(benchDir(), `groups-${users}.db`)
  for (const suffix of ['', '-wal', '-shm', '.key', '.audit-head']) rmSync(`${path}${suffix}`, { force: true })
  copyFileSync(source, path)
  copyFileSync(`${source}.key`, `${path}.key`)
  return path
}

/** Groups straight into the file (the triggers keep the sets and counters as they would for the app). */
function addGroups(path: string, users: number): { big: number; teams: number[] } {
  const db = new BetterSqlite3(path)
  db.pragma('journal_mode = WAL')
  const started = process.hrtime.bigint()
  const ids = db.transaction(() => {
    const insert = db.prepare('INSERT INTO groups (name, created_at) VALUES (?, 0)')
    const big = Number(insert.run('Everyone in sales').lastInsertRowid)
    db.prepare('INSERT INTO group_members (group_id, user_id) SELECT ?, id FROM users ORDER BY id LIMIT ?').run(big, Math.min(BIG_GROUP, users))
    const teams: number[] = []
    for (let t = 0; t < TEAMS; t++) teams.push(Number(insert.run(`Team ${t}`).lastInsertRowid))
    const member = db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)')
    const spread = db.prepare('SELECT id FROM users ORDER BY id DESC LIMIT ?').pluck().all(Math.min(TEAM_USERS, users)) as number[]
    spread.forEach((id, index) => teams.forEach((team, bit) => ((index * 37) % 128) & (1 << bit) && member.run(team, id)))
    return { big, teams }
  })()
  console.log(`  groups added in ${(since(started) / 1000).toFixed(1)} s`)
  db.close()
  return ids
}

export async function benchGroups(options: GroupsOptions, rows: Row[], seededPath: (users: number) => Promise<string>): Promise<void> {
  for (const users of options.sizes) {
    const path = prepareCopy(await seededPath(users), users)
    const { big, teams } = addGroups(path, users)
    const core = openCore({ dbPath: path, keyProvider: fileKeyProvider(path) })
    const bare = new BetterSqlite3(path)
    const add = (row: Omit<Row, 'size' | 'group'>) => {
      const full: Row = { ...row, group: 'Groups and deadlines', size: users }
      rows.push(full)
      printRow(full)
    }
    const members = Math.min(BIG_GROUP, users)

    // ---- Enforcing the big group: one row, whatever its size.
    const enforceSamples: number[] = []
    for (let i = 0; i < options.runs; i++) {
      const started = process.hrtime.bigint()
      await call(core, CLI_CALLER, 'enforceGroup', { groupId: big, graceDays: 14 })
      enforceSamples.push(since(started))
      await call(core, CLI_CALLER, 'revokeGroupEnforcement', { groupId: big })
    }
    // The same answer written plainly: the group row and one audit row, in one transaction.
    const floorEnforceRow = bare.prepare('UPDATE groups SET enforced = 1, deadline = ?, enforced_by = ?, enforced_at = ? WHERE id = ?')
    const floorAudit = bare.prepare("INSERT INTO audit_log (at, actor, action, target, details, prev_hash, hash) VALUES (?, 'bench', 'enforcement.group-enforced', 'Everyone in sales', '{}', '', '')")
    const floorEnforce = { run: bare.transaction((deadline: number, by: string, at: number, id: number) => {
      floorEnforceRow.run(deadline, by, at, id)
      floorAudit.run(at)
    }) }
    const floorRevoke = bare.prepare('UPDATE groups SET enforced = 0, deadline = NULL WHERE id = ?')
    const floorSamples: number[] = []
    for (let i = 0; i < options.runs; i++) {
      const started = process.hrtime.bigint()
      floorEnforce.run(Date.now(), 'bench', Date.now(), big)
      floorSamples.push(since(started))
      floorRevoke.run(big)
    }
    // What enforcing would cost if every member's row were written (as an engine without group sets must): once each way.
    const rewrite = bare.prepare("UPDATE users SET enforcement = ? WHERE enforcement <> 'exempt' AND role <> 'admin' AND id IN (SELECT user_id FROM group_members WHERE group_id = ?)")
    const naiveStarted = process.hrtime.bigint()
    bare.transaction(() => rewrite.run('enforced', big))()
    const naiveMs = since(naiveStarted)
    bare.transaction(() => rewrite.run('inherit', big))()
    add({
      operation: `enforce a group of ${sizeLabel(members)} members (enforceGroup, 14 days)`,
      ours: toStats(enforceSamples),
      floor: toStats(floorSamples),
      naive: { label: 'rewrite every member', stats: toStats([naiveMs]) },
      note: 'ours: the group row and its chained audit entry, the audit anchor, the day\u2019s distribution row, the group\u2019s exact counts returned; floor: the group row and one audit row in one transaction'
    })

    await call(core, CLI_CALLER, 'enforceGroup', { groupId: big, graceDays: 14 })
    await call(core, CLI_CALLER, 'enforceGroup', { groupId: teams[2]! })
    await call(core, CLI_CALLER, 'setPolicyExemptionGroup', { groupId: teams[5]! })

    // ---- The distribution with groups and deadlines: the class counters and the enforcement rows.
    const counters = bare.prepare(CLASS_COUNTS_SQL)
    const groupRows = bare.prepare('SELECT id, enforced, deadline FROM groups')
    add({
      operation: 'Security counts with groups and deadlines (getSecurityOverview)',
      ours: await measure(options.runs, () => call(core, CLI_CALLER, 'getSecurityOverview', {})),
      floor: await measure(options.runs, () => {
        counters.all()
        groupRows.all()
      }),
      naive: {
        label: 'recount by scan',
        stats: await measure(3, () =>
          bare
            .prepare(
              `SELECT u.has_totp, count(*) FROM users u
               LEFT JOIN group_members m ON m.user_id = u.id AND m.group_id IN (SELECT id FROM groups WHERE enforced = 1)
               GROUP BY u.has_totp, m.group_id IS NULL`
            )
            .all()
        , 1)
      },
      note: 'floor: read the class counters and the group rows (the same inputs); ours adds the rule per class, the overdue count and the preview of enforcing for all'
    })

    // ---- Pages: pending (classes of enforced groups merged), and one group's members.
    const snapshot = new BetterSqlite3(path, { readonly: true })
    const policy = readEnforcementPolicy(snapshot)
    const pending = armSource(snapshot, policy, { status: 'pending', now: Date.now() }).filter.classes ?? []
    const pendingSeeks = pending.map((twoFactorClass) => snapshot.prepare(seekUsersStatement({ order: 'name', direction: 'asc', limit: PAGE + 1, twoFactorClass }).sql))
    const filtered = (classes: readonly string[], dueBy: number | null) => {
      const prepared = snapshot.prepare(
        `SELECT u.*, c.confirmed_at AS active_since FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id
         WHERE +u.tfa_class IN (SELECT value FROM json_each(?))${dueBy === null ? '' : " AND (u.tfa_class NOT GLOB 'always*' OR u.role = 'admin' OR coalesce(u.enforcement_deadline, 0) <= ?)"}
         ORDER BY u.name_key, u.id LIMIT ${PAGE + 1}`
      )
      const json = JSON.stringify(classes)
      return () => (dueBy === null ? prepared.all(json) : prepared.all(json, dueBy))
    }
    const pendingFloor = await best(options.runs, {
      'one seek per class, merged': () => {
        const merged = pendingSeeks.flatMap((prepared, index) => prepared.all({ limit: PAGE + 1, twoFactorClass: pending[index] }) as { name: string }[])
        merged.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      },
      'one filtered range of the name index': filtered(pending, null)
    })
    add({
      operation: `pending, first page (${pending.length} classes)`,
      ours: await measure(options.runs, () => call(core, CLI_CALLER, 'listUsers', { status: 'pending', limit: PAGE })),
      floor: pendingFloor.stats,
      note: `floor: the faster of one seek per pending class merged and one filtered range of the name index (${pendingFloor.label}), without the rule, the mapping or the cursor`
    })
    const teamClasses = armSource(snapshot, policy, { groupId: teams[2]!, now: Date.now() }).filter.classes ?? []
    const joined = snapshot.prepare(
      `SELECT u.* FROM users u WHERE u.id IN (SELECT user_id FROM group_members WHERE group_id = ?) ORDER BY u.name_key, u.id LIMIT ${PAGE + 1}`
    )
    const scanned = snapshot.prepare(
      `SELECT u.* FROM users u INDEXED BY users_by_name_key WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = ? AND m.user_id = u.id)
       ORDER BY u.name_key, u.id LIMIT ${PAGE + 1}`
    )
    const teamFloor = await best(options.runs, {
      'members joined and sorted': () => joined.all(teams[2]!),
      'the name index, each row tested for membership': () => scanned.all(teams[2]!)
    })
    add({
      operation: `one group's members, first page (${teamClasses.length} classes)`,
      ours: await measure(options.runs, () => call(core, CLI_CALLER, 'listUsers', { groupId: teams[2]!, limit: PAGE })),
      floor: teamFloor.stats,
      note: `floor: the faster of a join sorted by name and a walk of the name index testing membership (${teamFloor.label})`
    })
    const now = Date.now()
    const overdue = armSource(snapshot, policy, { status: 'overdue', now })
    const overdueClasses = overdue.filter.classes ?? []
    const overdueFloor = await best(options.runs, { 'one filtered range of the name index': filtered(overdueClasses, now) })
    add({
      operation: `overdue, first page (${overdueClasses.length} classes)`,
      ours: await measure(options.runs, () => call(core, CLI_CALLER, 'listUsers', { status: 'overdue', limit: PAGE })),
      floor: overdueFloor.stats,
      note: 'floor: one filtered range of the name index with the deadline test'
    })
    snapshot.close()
    bare.close()
    core.close()
    for (const suffix of ['', '-wal', '-shm', '.key', '.audit-head']) rmSync(`${path}${suffix}`, { force: true })
  }
}

/** The fastest of several plain programs for the same answer, by p50. */
async function best(runs: number, programs: Record<string, () => unknown>): Promise<{ label: string; stats: Stats }> {
  let winner: { label: string; stats: Stats } | null = null
  for (const [label, program] of Object.entries(programs)) {
    const stats = await measure(runs, program)
    if (winner === null || stats.p50 < winner.stats.p50) winner = { label, stats }
  }
  return winner!
}

export function reportGroups(rows: Row[], measured: string[]): string {
  const ratio = (row: Row) => (row.floor ? `${(row.ours.p50 / row.floor.p50).toFixed(1)}\u00d7` : '\u2014')
  const lines = [
    ...measured,
    '',
    '| Users | Operation | ours p50 / p95 (ms) | floor p50 (ms) | ours / floor | naive | note |',
    '|---:|---|---:|---:|---:|---|---|',
    ...rows.map(
      (row) =>
        `| ${sizeLabel(row.size)} | ${row.operation} | ${row.ours.p50.toFixed(3)} / ${row.ours.p95.toFixed(3)} | ${row.floor ? row.floor.p50.toFixed(3) : '\u2014'} | ${ratio(row)} | ${row.naive ? `${row.naive.label}: ${row.naive.stats.p50.toFixed(0)} ms` : '\u2014'} | ${row.note ?? ''} |`
    )
  ]
  return lines.join('\n')
}

// SQL of bulk changes (src/main/core/bulk): the selected users read by ids or
// emails (one statement over a JSON array each), and each action written for
// all of them in one statement over the ids. Every row still passes the
// triggers of migration 8 one by one, so the class counters, the group sets and
// the key change log stay exact. Run inside the core's write transaction.
import type { Enforcement, Role, UserSource } from '../../shared/domain'
import { classFilterSql, matchingUserIdsStatement, type ClassFilter, type SearchTerm } from './listing-repo'
import { recordKeyReset } from './key-changes-repo'
import { quoteIdentifier, withSetAside, type SchemaItem } from './set-aside'
import type { Database } from './sqlite'
import { statement } from './statements'
import { RESET_LOCKOUT } from './users-repo'

/** What a bulk change decides on for each user: the columns its rules read, not the whole row (100,000 of them are read at once). */
export interface BulkSubject {
  id: number
  email: string
  role: Role
  disabled: boolean
  enforcement: Enforcement
  enforcementDeadline: number | null
  groupSet: number
  /** A confirmed authenticator (2FA active). */
  hasTwoFactor: boolean
  /** A password of their own (imported and demo users may have none). */
  hasPassword: boolean
  demo: boolean
  source: UserSource
  failedAttempts: number
  lockLevel: number
  lockedUntil: number | null
}

/**
 * A subject as one row of eight values, read with raw(): the flags packed into one integer. At 100,000 users
 * better-sqlite3 spends most of the read making values, not in SQLite (2026-12-03: 25 ms in SQLite, 450-600 ms
 * for fourteen named columns, about 170 ms for these eight in arrays).
 */
type SubjectRow = [id: number, email: string, flags: number, deadline: number | null, groupSet: number, failedAttempts: number, lockLevel: number, lockedUntil: number | null]

const ADMIN = 1
const DISABLED = 2
const HAS_TOTP = 4
const HAS_PASSWORD = 8
const DEMO = 16
const ENFORCED = 32
const EXEMPT = 64
const FROM_CSV = 128
const FROM_LDAP = 256

const SELECT_SUBJECT = `SELECT u.id, u.email,
  (u.role = 'admin') * ${ADMIN} + u.disabled * ${DISABLED} + u.has_totp * ${HAS_TOTP} + (u.password_hash IS NOT NULL) * ${HAS_PASSWORD} + u.demo * ${DEMO}
    + (CASE u.enforcement WHEN 'enforced' THEN ${ENFORCED} WHEN 'exempt' THEN ${EXEMPT} ELSE 0 END)
    + (CASE u.source WHEN 'csv' THEN ${FROM_CSV} WHEN 'ldap' THEN ${FROM_LDAP} ELSE 0 END),
  u.enforcement_deadline, u.group_set, u.failed_attempts, u.lock_level, u.locked_until FROM users u`

function rowToSubject([id, email, flags, deadline, groupSet, failedAttempts, lockLevel, lockedUntil]: SubjectRow): BulkSubject {
  return {
    id,
    email,
    role: flags & ADMIN ? 'admin' : 'user',
    disabled: (flags & DISABLED) !== 0,
    enforcement: flags & ENFORCED ? 'enforced' : flags & EXEMPT ? 'exempt' : 'inherit',
    enforcementDeadline: deadline,
    groupSet,
    hasTwoFactor: (flags & HAS_TOTP) !== 0,
    hasPassword: (flags & HAS_PASSWORD) !== 0,
    demo: (flags & DEMO) !== 0,
    source: flags & FROM_CSV ? 'csv' : flags & FROM_LDAP ? 'ldap' : 'local',
    failedAttempts,
    lockLevel,
    lockedUntil
  }
}

function idsParam(ids: readonly number[]): string {
  return JSON.stringify(ids)
}

/** No limit: SQLite reads a negative LIMIT as none. */
const ALL = -1

function filterWhere(filter: ClassFilter, term: SearchTerm | null): { sql: string; params: Record<string, unknown> } {
  // A search: its own statement (which filters by class and row tests too), uncapped, as the export reads it.
  if (term !== null) {
    const matches = matchingUserIdsStatement(term, filter, ALL)
    return { sql: `WHERE u.id IN (${matches.sql})`, params: matches.params }
  }
  const classes = classFilterSql(filter)
  return { sql: `WHERE 1 ${classes.sql}`, params: classes.params }
}

/** How many users the directory holds (the class counters' sum, kept by the triggers). */
export function countAllUsers(db: Database): number {
  return statement(db, 'SELECT coalesce(sum(users), 0) FROM class_counts', { pluck: true }).get() as number
}

/** How many users a Users list filter (and search) selects. */
export function countUsersOfFilter(db: Database, filter: ClassFilter, term: SearchTerm | null): number {
  const where = filterWhere(filter, term)
  return db.prepare(`SELECT count(*) FROM users u ${where.sql}`).pluck().get(where.params) as number
}

/**
 * Every user a Users list filter (and search) selects, in id order. `scan`: the filter holds a large share
 * of the directory (its caller counted), so the table is read in id order, each row tested, rather than
 * each class's range of an index with a seek of each row and a sort by id: at 100,000 users of 100,000,
 * 120 ms instead of 190 (2026-12-07). A search reads its own statement's ids either way.
 */
export function usersOfFilter(db: Database, filter: ClassFilter, term: SearchTerm | null, scan = false): BulkSubject[] {
  const { sql, params } = usersOfFilterStatement(filter, term, scan)
  return (db.prepare(sql).raw().all(params) as SubjectRow[]).map(rowToSubject)
}

/** The statement of usersOfFilter (exported for its query plan's test). */
export function usersOfFilterStatement(filter: ClassFilter, term: SearchTerm | null, scan: boolean): { sql: string; params: Record<string, unknown> } {
  const where = filterWhere(filter, term)
  const from = scan && term === null ? `${SELECT_SUBJECT} NOT INDEXED` : SELECT_SUBJECT
  return { sql: `${from} ${where.sql} ORDER BY u.id`, params: where.params }
}

/** The users of these ids that exist, in id order. */
export function usersByIds(db: Database, ids: readonly number[]): BulkSubject[] {
  const sql = `${SELECT_SUBJECT} WHERE u.id IN (SELECT value FROM json_each(@ids)) ORDER BY u.id`
  return (statement(db, sql).raw().all({ ids: idsParam(ids) }) as SubjectRow[]).map(rowToSubject)
}

/** The users of these (lowercase) emails, and the emails no user has. */
export function usersByEmails(db: Database, emails: readonly string[]): { users: BulkSubject[]; unknown: string[] } {
  const sql = `${SELECT_SUBJECT} WHERE u.email IN (SELECT value FROM json_each(@emails)) ORDER BY u.id`
  const users = (statement(db, sql).raw().all({ emails: JSON.stringify(emails) }) as SubjectRow[]).map(rowToSubject)
  const known = new Set(users.map((user) => user.email))
  return { users, unknown: [...new Set(emails.filter((email) => !known.has(email)))] }
}

/** Of these ids, the users with recovery codes or an unfinished enrollment (what a 2FA reset removes besides the authenticator). */
export function usersWithRecoveryOrEnrollment(db: Database, ids: readonly number[]): Set<number> {
  const sql = `SELECT value FROM json_each(@ids) j
    WHERE EXISTS (SELECT 1 FROM recovery_codes r WHERE r.user_id = j.value)
       OR EXISTS (SELECT 1 FROM totp_enrollments e WHERE e.user_id = j.value)`
  return new Set(statement(db, sql, { pluck: true }).all({ ids: idsParam(ids) }) as number[])
}

/** What an enforcement override writes, and tfa_class, which SQLite computes from the enforcement (a generated column, migration 2). */
const OVERRIDE_COLUMNS = ['enforcement', 'enforcement_by', 'enforcement_at', 'updated_at', 'enforcement_deadline', 'tfa_class']
const NAMES_AN_OVERRIDE_COLUMN = new RegExp(`\\b(?:${OVERRIDE_COLUMNS.join('|')})\\b`)

/** The indexes on users whose keys, covered columns or WHERE name a column an enforcement override writes: the ones its UPDATE rewrites entries in. */
export function indexesAnOverrideRewrites(db: Database): SchemaItem[] {
  const indexes = statement(db, "SELECT 'index' AS type, name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL").all() as SchemaItem[]
  return indexes.filter((index) => NAMES_AN_OVERRIDE_COLUMN.test(index.sql))
}

/**
 * Of the indexes an override rewrites, those worth dropping and building again for a change of `changing`
 * users: not a partial index whose WHERE no override changes and that holds fewer than an eighth of them
 * (the administrators', the locked and the disabled users' lists, usually). Its UPDATE then rewrites only
 * its few members' entries, where building it again would sort the whole index: 40 ms at 100,000 users for
 * those four (2026-12-07). Counting stops at the bound, so it reads at most that many entries each.
 */
export function indexesToSetAside(db: Database, changing: number): SchemaItem[] {
  const bound = Math.ceil(changing / 8)
  return indexesAnOverrideRewrites(db).filter((index) => {
    const where = /\)\s*WHERE\s+([\s\S]+)$/i.exec(index.sql)?.[1]
    if (where === undefined || NAMES_AN_OVERRIDE_COLUMN.test(where)) return true
    const members = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM users INDEXED BY ${quoteIdentifier(index.name)} WHERE ${where} LIMIT ?)`).pluck().get(bound) as number
    return members >= bound
  })
}

/** The trigger that logs each user's new class for the jump signposts (a bulk change records one 'reset' instead). */
const KEY_LOG_TRIGGER = 'users_key_update'

function keyLogTrigger(db: Database): SchemaItem[] {
  return statement(db, "SELECT 'trigger' AS type, name, sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?").all(KEY_LOG_TRIGGER) as SchemaItem[]
}

/**
 * The enforcement override of each user (an individual enforcement due at `deadline`, or at `now`).
 * `setIndexesAside`: the indexes the change rewrites are dropped for the UPDATE and built again
 * after it (set-aside.ts), which is faster when the change moves a large share of the directory.
 */
export function setEnforcementOverrides(
  db: Database,
  ids: readonly number[],
  change: { enforcement: Enforcement; by: string; now: number; deadline: number | null; setIndexesAside: boolean }
): number {
  const update = () =>
    statement(
      db,
      `UPDATE users SET enforcement = @enforcement, enforcement_by = @by, enforcement_at = @now, updated_at = @now, enforcement_deadline = @deadline
       WHERE id IN (SELECT value FROM json_each(@ids))`
    ).run({
      ids: idsParam(ids),
      enforcement: change.enforcement,
      by: change.by,
      now: change.now,
      deadline: change.enforcement === 'enforced' ? (change.deadline ?? change.now) : null
    }).changes
  if (!change.setIndexesAside) return update()
  // Instead of a key log entry per user (whose signposts would build again after so many anyway): one 'reset'.
  return withSetAside(db, [...indexesToSetAside(db, ids.length), ...keyLogTrigger(db)], () => {
    const changed = update()
    recordKeyReset(db)
    return changed
  })
}

/** An administrator's unlock of each user: the run of failures is over. */
export function clearFailedAttemptsOf(db: Database, ids: readonly number[]): number {
  return statement(db, `UPDATE users SET ${RESET_LOCKOUT} WHERE id IN (SELECT value FROM json_each(@ids))`).run({
    ids: idsParam(ids)
  }).changes
}

/** A 2FA reset of each user: the authenticator, the recovery codes and any unfinished enrollment go. */
export function deleteTwoFactorOf(db: Database, ids: readonly number[]): void {
  const params = { ids: idsParam(ids) }
  statement(db, 'DELETE FROM totp_credentials WHERE user_id IN (SELECT value FROM json_each(@ids))').run(params)
  statement(db, 'DELETE FROM recovery_codes WHERE user_id IN (SELECT value FROM json_each(@ids))').run(params)
  statement(db, 'DELETE FROM totp_enrollments WHERE user_id IN (SELECT value FROM json_each(@ids))').run(params)
}

export function disableUsers(db: Database, ids: readonly number[], now: number): number {
  return statement(db, 'UPDATE users SET disabled = 1, updated_at = @now WHERE id IN (SELECT value FROM json_each(@ids))').run({ ids: idsParam(ids), now }).changes
}

// SQL for one user at a time: create, read, change their profile, enforcement
// override, password and lock state. Lists of users are listing-repo.ts.
import type BetterSqlite3 from 'better-sqlite3'
import type { Enforcement, Role, TwoFactorClass, UserSource } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'
import { localEnd } from './local-end'
import { nameSortKey } from '../../shared/name-key'

export interface UserRecord {
  id: number
  name: string
  /** What name orders sort by (src/shared/name-key.ts, migration 12). */
  nameKey: string
  email: string
  role: Role
  passwordHash: string | null
  disabled: boolean
  enforcement: Enforcement
  enforcementBy: string | null
  enforcementAt: number | null
  failedAttempts: number
  lockedUntil: number | null
  /** Locks earned by the current run of consecutive failures (lockout.ts). */
  lockLevel: number
  lastTwoFactorLoginAt: number | null
  createdAt: number
  updatedAt: number
  /** confirmed_at of the TOTP credential, or null when 2FA is not active. */
  activeSince: number | null
  /** users.tfa_class: the policy-independent part of the 2FA status. */
  twoFactorClass: TwoFactorClass
  /** Made by seed-demo: no password, cannot sign in. */
  demo: boolean
  source: UserSource
  /** The directory entry's DN and stable id (entryUUID, objectGUID) of a user from LDAP. */
  directoryDn: string | null
  directoryId: string | null
  /** Disabled by a sync (gone from the directory, or disabled there): a later sync re-enables them. */
  directoryDisabled: boolean
  /** The user's combination of groups (migration 8); 0: in no group. */
  groupSet: number
  /** The deadline of an individual enforcement (epoch ms), or null. */
  enforcementDeadline: number | null
}

/** The columns of SELECT_USER a UserRecord is made of (a statement may read more, such as a count). */
const USER_COLUMNS = [
  'id', 'name', 'name_key', 'email', 'role', 'password_hash', 'disabled', 'enforcement', 'enforcement_by', 'enforcement_at',
  'failed_attempts', 'locked_until', 'lock_level', 'last_2fa_login_at', 'created_at', 'updated_at', 'active_since', 'tfa_class',
  'demo', 'source', 'directory_dn', 'directory_id', 'directory_disabled', 'group_set', 'enforcement_deadline'
] as const

/** Where each of a user's columns is in the rows of one statement. */
type UserColumns = Readonly<Record<(typeof USER_COLUMNS)[number], number>>

/**
 * A user's columns as a statement of users names them (alias u, the credential c): listed, never
 * u.*, so that a row keeps its shape when a column is added to users while a statement is kept
 * (another program sharing the file migrates it), and the positions found once stay true.
 */
export const USER_FIELDS = [...USER_COLUMNS.filter((column) => column !== 'active_since').map((column) => `u.${column}`), 'c.confirmed_at AS active_since'].join(', ')

/** Every column of a user, with the 2FA activation date from their credential. */
export const SELECT_USER = `
  SELECT ${USER_FIELDS}
  FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id`

const positions = new WeakMap<BetterSqlite3.Statement, UserColumns>()

/**
 * Where this statement puts each column of a user, found once a statement from
 * its result columns (USER_FIELDS, in that order).
 */
function columnsOf(prepared: BetterSqlite3.Statement): UserColumns {
  let at = positions.get(prepared)
  if (at === undefined) {
    const names = prepared.columns().map((column) => column.name)
    const found: Record<string, number> = {}
    for (const column of USER_COLUMNS) {
      const index = names.indexOf(column)
      if (index < 0) throw new Error(`A statement of users reads no column ${column}: ${prepared.source}`)
      found[column] = index
    }
    at = found as UserColumns
    positions.set(prepared, at)
  }
  return at
}

/**
 * Users read as arrays (`raw`): better-sqlite3 would make an object of some
 * thirty named values for each row, most of the time of a page of 50 users
 * (0.41 against 0.18 ms at 1M).
 */
export interface UserRows {
  readonly rows: readonly unknown[][]
  readonly at: UserColumns
  /** The position of another column of the statement (a count beside the users). */
  column(name: string): number
}

/** The rows of a statement of users (SELECT_USER's columns, and possibly more). */
export function userRows(db: Database, sql: string, ...params: unknown[]): UserRows {
  const prepared = statement(db, sql, { raw: true })
  const rows = prepared.all(...params) as unknown[][]
  return { rows, at: columnsOf(prepared), column: (name) => prepared.columns().findIndex((column) => column.name === name) }
}

/** The users a statement of SELECT_USER's columns reads, in its order. */
export function readUsers(db: Database, sql: string, ...params: unknown[]): UserRecord[] {
  const { rows, at } = userRows(db, sql, ...params)
  return rows.map((row) => rowToUser(row, at))
}

/** The first user such a statement reads, or null. */
export function readUser(db: Database, sql: string, ...params: unknown[]): UserRecord | null {
  const prepared = statement(db, sql, { raw: true })
  const row = prepared.get(...params) as unknown[] | undefined
  return row === undefined ? null : rowToUser(row, columnsOf(prepared))
}

/** Every user such a statement reads, one at a time (a fresh statement: iterate() holds its cursor open). */
export function* iterateUsers(db: Database, sql: string, ...params: unknown[]): Generator<UserRecord> {
  const prepared = db.prepare(sql).raw(true)
  const at = columnsOf(prepared)
  for (const row of prepared.iterate(...params) as Iterable<unknown[]>) yield rowToUser(row, at)
}

export function rowToUser(row: readonly unknown[], at: UserColumns): UserRecord {
  return {
    id: row[at.id] as number,
    name: row[at.name] as string,
    nameKey: row[at.name_key] as string,
    email: row[at.email] as string,
    role: row[at.role] as Role,
    passwordHash: row[at.password_hash] as string | null,
    disabled: row[at.disabled] === 1,
    enforcement: row[at.enforcement] as Enforcement,
    enforcementBy: row[at.enforcement_by] as string | null,
    enforcementAt: row[at.enforcement_at] as number | null,
    failedAttempts: row[at.failed_attempts] as number,
    lockedUntil: row[at.locked_until] as number | null,
    lockLevel: row[at.lock_level] as number,
    lastTwoFactorLoginAt: row[at.last_2fa_login_at] as number | null,
    createdAt: row[at.created_at] as number,
    updatedAt: row[at.updated_at] as number,
    activeSince: row[at.active_since] as number | null,
    twoFactorClass: row[at.tfa_class] as TwoFactorClass,
    demo: row[at.demo] === 1,
    source: row[at.source] as UserSource,
    directoryDn: row[at.directory_dn] as string | null,
    directoryId: row[at.directory_id] as string | null,
    directoryDisabled: row[at.directory_disabled] === 1,
    groupSet: row[at.group_set] as number,
    enforcementDeadline: row[at.enforcement_deadline] as number | null
  }
}

/** Whether the directory has any user: one index probe, where count(*) would read every row. */
export function hasAnyUser(db: Database): boolean {
  return statement(db, 'SELECT EXISTS (SELECT 1 FROM users) AS any', { pluck: true }).get() === 1
}

export function findUserById(db: Database, id: number): UserRecord | null {
  return readUser(db, `${SELECT_USER} WHERE u.id = ?`, id)
}

export function findUserByEmail(db: Database, email: string): UserRecord | null {
  return readUser(db, `${SELECT_USER} WHERE u.email = ?`, email)
}

export interface NewUser {
  name: string
  email: string
  role: Role
  passwordHash: string | null
  now: number
  /** Where they come from (default: made here). */
  source?: UserSource
  directoryDn?: string | null
  directoryId?: string | null
}

export function insertUser(db: Database, user: NewUser): number {
  const result = statement(
    db,
    `INSERT INTO users (name, name_key, email, email_local_rev, role, password_hash, created_at, updated_at, source, directory_dn, directory_id)
     VALUES (@name, @nameKey, @email, @localEnd, @role, @passwordHash, @now, @now, @source, @directoryDn, @directoryId)`
  ).run({ ...user, nameKey: nameSortKey(user.name), localEnd: localEnd(user.email), source: user.source ?? 'local', directoryDn: user.directoryDn ?? null, directoryId: user.directoryId ?? null })
  return Number(result.lastInsertRowid)
}

export interface ProfileChange {
  name?: string
  role?: Role
  disabled?: boolean
}

export function updateProfile(db: Database, id: number, change: ProfileChange, now: number): void {
  statement(
    db,
    `UPDATE users SET
       name = coalesce(@name, name),
       name_key = coalesce(@nameKey, name_key),
       role = coalesce(@role, role),
       disabled = coalesce(@disabled, disabled),
       updated_at = @now
     WHERE id = @id`
  ).run({
    id,
    now,
    name: change.name ?? null,
    nameKey: change.name === undefined ? null : nameSortKey(change.name),
    role: change.role ?? null,
    disabled: change.disabled === undefined ? null : change.disabled ? 1 : 0
  })
}

export function updatePasswordHash(db: Database, id: number, passwordHash: string, now: number): void {
  statement(db, 'UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, now, id)
}

/** Sets the override; an individual enforcement carries its deadline (due at `now` without a grace period). */
export function setEnforcementOverride(db: Database, id: number, enforcement: Enforcement, by: string, now: number, deadline: number | null = null): void {
  statement(
    db,
    'UPDATE users SET enforcement = ?, enforcement_by = ?, enforcement_at = ?, updated_at = ?, enforcement_deadline = ? WHERE id = ?'
  ).run(enforcement, by, now, now, enforcement === 'enforced' ? (deadline ?? now) : null, id)
}

/** The lockout state of one account, read inside the transaction that changes it. */
export interface LockState {
  failedAttempts: number
  lockLevel: number
  lockedUntil: number | null
  /** Which run of failures the count is (up by one at each reset): a guess is settled against its own. */
  generation: number
  /** When the newest guess was reserved (null: never, or not since schema 18). */
  lastGuessAt: number | null
}

export function readLockState(db: Database, id: number): LockState | null {
  const row = statement(db, 'SELECT failed_attempts, lock_level, locked_until, lock_generation, last_guess_at FROM users WHERE id = ?').get(id) as
    | { failed_attempts: number; lock_level: number; locked_until: number | null; lock_generation: number; last_guess_at: number | null }
    | undefined
  return row
    ? { failedAttempts: row.failed_attempts, lockLevel: row.lock_level, lockedUntil: row.locked_until, generation: row.lock_generation, lastGuessAt: row.last_guess_at }
    : null
}

/** Writes the count, the lock and the last reservation's time; the generation changes only by a reset. */
export function writeLockState(db: Database, id: number, state: LockState): void {
  statement(
    db,
    'UPDATE users SET failed_attempts = @failedAttempts, lock_level = @lockLevel, locked_until = @lockedUntil, last_guess_at = @lastGuessAt WHERE id = @id'
  ).run({ id, failedAttempts: state.failedAttempts, lockLevel: state.lockLevel, lockedUntil: state.lockedUntil, lastGuessAt: state.lastGuessAt })
}

/** An administrator's unlock, or a completed sign-in: the run of failures is over, and a new one begins. */
export function clearFailedAttempts(db: Database, id: number): void {
  statement(db, `UPDATE users SET ${RESET_LOCKOUT} WHERE id = ?`).run(id)
}

/** The SET list of a reset of the lockout: a new run of failures (a guess reserved before it belongs to the old one). */
export const RESET_LOCKOUT = 'failed_attempts = 0, lock_level = 0, locked_until = NULL, lock_generation = lock_generation + 1'

export function recordSecondFactorLogin(db: Database, id: number, now: number): void {
  statement(db, 'UPDATE users SET last_2fa_login_at = ? WHERE id = ?').run(now, id)
}

/** Administrators who can sign in: enabled, with a password (or their directory's), and not demo users (who never can). */
export function countActiveAdmins(db: Database): number {
  return (
    statement(
      db,
      "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND demo = 0 AND (password_hash IS NOT NULL OR source = 'ldap')"
    ).get() as { n: number }
  ).n
}

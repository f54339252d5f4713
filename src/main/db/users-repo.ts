// SQL for one user at a time: create, read, change their profile, enforcement
// override, password and lock state. Lists of users are listing-repo.ts.
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

/** A row of SELECT_USER, as SQLite returns it. */
export interface UserRow {
  id: number
  name: string
  name_key: string
  email: string
  role: string
  password_hash: string | null
  disabled: number
  enforcement: string
  enforcement_by: string | null
  enforcement_at: number | null
  failed_attempts: number
  locked_until: number | null
  lock_level: number
  last_2fa_login_at: number | null
  created_at: number
  updated_at: number
  active_since: number | null
  tfa_class: string
  demo: number
  source: string
  directory_dn: string | null
  directory_id: string | null
  directory_disabled: number
  group_set: number
  enforcement_deadline: number | null
}

/** Every column of a user, with the 2FA activation date from their credential. */
export const SELECT_USER = `
  SELECT u.*, c.confirmed_at AS active_since
  FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id`

export function rowToUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    name: row.name,
    nameKey: row.name_key,
    email: row.email,
    role: row.role as Role,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    enforcement: row.enforcement as Enforcement,
    enforcementBy: row.enforcement_by,
    enforcementAt: row.enforcement_at,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
    lockLevel: row.lock_level,
    lastTwoFactorLoginAt: row.last_2fa_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    activeSince: row.active_since,
    twoFactorClass: row.tfa_class as TwoFactorClass,
    demo: row.demo === 1,
    source: row.source as UserSource,
    directoryDn: row.directory_dn,
    directoryId: row.directory_id,
    directoryDisabled: row.directory_disabled === 1,
    groupSet: row.group_set,
    enforcementDeadline: row.enforcement_deadline
  }
}

/** Whether the directory has any user: one index probe, where count(*) would read every row. */
export function hasAnyUser(db: Database): boolean {
  return statement(db, 'SELECT EXISTS (SELECT 1 FROM users) AS any', { pluck: true }).get() === 1
}

export function findUserById(db: Database, id: number): UserRecord | null {
  const row = statement(db, `${SELECT_USER} WHERE u.id = ?`).get(id) as UserRow | undefined
  return row ? rowToUser(row) : null
}

export function findUserByEmail(db: Database, email: string): UserRecord | null {
  const row = statement(db, `${SELECT_USER} WHERE u.email = ?`).get(email) as UserRow | undefined
  return row ? rowToUser(row) : null
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
}

export function readLockState(db: Database, id: number): LockState | null {
  const row = statement(db, 'SELECT failed_attempts, lock_level, locked_until FROM users WHERE id = ?').get(id) as
    | { failed_attempts: number; lock_level: number; locked_until: number | null }
    | undefined
  return row ? { failedAttempts: row.failed_attempts, lockLevel: row.lock_level, lockedUntil: row.locked_until } : null
}

export function writeLockState(db: Database, id: number, state: LockState): void {
  statement(db, 'UPDATE users SET failed_attempts = @failedAttempts, lock_level = @lockLevel, locked_until = @lockedUntil WHERE id = @id').run({ id, ...state })
}

/** An administrator's unlock, or a completed sign-in: the run of failures is over. */
export function clearFailedAttempts(db: Database, id: number): void {
  statement(db, 'UPDATE users SET failed_attempts = 0, lock_level = 0, locked_until = NULL WHERE id = ?').run(id)
}

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

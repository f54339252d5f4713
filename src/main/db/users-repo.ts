// SQL for users and their enforcement override, lock state and status.
import type { Enforcement, Role, SortDirection, TwoFactorStatus, UserSortKey } from '../../shared/domain'
import type { Database } from './connection'

export interface UserRecord {
  id: number
  name: string
  email: string
  role: Role
  passwordHash: string | null
  disabled: boolean
  enforcement: Enforcement
  enforcementBy: string | null
  enforcementAt: number | null
  failedAttempts: number
  lockedUntil: number | null
  last2faLoginAt: number | null
  createdAt: number
  updatedAt: number
  /** confirmed_at of the TOTP credential, or null when 2FA is not active. */
  activeSince: number | null
}

interface UserRow {
  id: number
  name: string
  email: string
  role: string
  password_hash: string | null
  disabled: number
  enforcement: string
  enforcement_by: string | null
  enforcement_at: number | null
  failed_attempts: number
  locked_until: number | null
  last_2fa_login_at: number | null
  created_at: number
  updated_at: number
  active_since: number | null
}

const SELECT_USER = `
  SELECT u.*, c.confirmed_at AS active_since
  FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id`

function rowToUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    enforcement: row.enforcement as Enforcement,
    enforcementBy: row.enforcement_by,
    enforcementAt: row.enforcement_at,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
    last2faLoginAt: row.last_2fa_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    activeSince: row.active_since
  }
}

export function countUsers(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
}

export function findUserById(db: Database, id: number): UserRecord | null {
  const row = db.prepare(`${SELECT_USER} WHERE u.id = ?`).get(id) as UserRow | undefined
  return row ? rowToUser(row) : null
}

export function findUserByEmail(db: Database, email: string): UserRecord | null {
  const row = db.prepare(`${SELECT_USER} WHERE u.email = ?`).get(email) as UserRow | undefined
  return row ? rowToUser(row) : null
}

export interface NewUser {
  name: string
  email: string
  role: Role
  passwordHash: string | null
  now: number
}

export function insertUser(db: Database, user: NewUser): number {
  const result = db
    .prepare(
      `INSERT INTO users (name, email, role, password_hash, created_at, updated_at)
       VALUES (@name, @email, @role, @passwordHash, @now, @now)`
    )
    .run(user)
  return Number(result.lastInsertRowid)
}

export interface ProfileChange {
  name?: string
  role?: Role
  disabled?: boolean
}

export function updateProfile(db: Database, id: number, change: ProfileChange, now: number): void {
  db.prepare(
    `UPDATE users SET
       name = coalesce(@name, name),
       role = coalesce(@role, role),
       disabled = coalesce(@disabled, disabled),
       updated_at = @now
     WHERE id = @id`
  ).run({
    id,
    now,
    name: change.name ?? null,
    role: change.role ?? null,
    disabled: change.disabled === undefined ? null : change.disabled ? 1 : 0
  })
}

export function updatePasswordHash(db: Database, id: number, passwordHash: string, now: number): void {
  db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, now, id)
}

export function setEnforcementOverride(db: Database, id: number, enforcement: Enforcement, by: string, now: number): void {
  db.prepare('UPDATE users SET enforcement = ?, enforcement_by = ?, enforcement_at = ?, updated_at = ? WHERE id = ?').run(
    enforcement,
    by,
    now,
    now,
    id
  )
}

export function recordFailedAttempt(db: Database, id: number, lockThreshold: number, lockUntil: number): { failedAttempts: number; locked: boolean } {
  const row = db
    .prepare(
      `UPDATE users SET
         failed_attempts = failed_attempts + 1,
         locked_until = CASE WHEN failed_attempts + 1 >= @threshold THEN @lockUntil ELSE locked_until END
       WHERE id = @id
       RETURNING failed_attempts, locked_until`
    )
    .get({ id, threshold: lockThreshold, lockUntil }) as { failed_attempts: number; locked_until: number | null }
  return { failedAttempts: row.failed_attempts, locked: row.failed_attempts >= lockThreshold }
}

export function clearFailedAttempts(db: Database, id: number): void {
  db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id)
}

export function recordSecondFactorLogin(db: Database, id: number, now: number): void {
  db.prepare('UPDATE users SET last_2fa_login_at = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?').run(now, id)
}

export function countActiveAdmins(db: Database): number {
  return (db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n
}

// ---- Listing: keyset pages over a derived 2FA status ----

/** SQL for a user's status; `policy` is bound as @policy (1 when 2FA is enforced for all). */
const STATUS_SQL = `CASE
    WHEN c.user_id IS NOT NULL THEN 'active'
    WHEN u.role = 'admin' OR u.enforcement = 'enforced' OR (u.enforcement = 'inherit' AND @policy = 1) THEN 'pending'
    ELSE 'inactive' END`

// Sort keys map to fixed SQL expressions: never interpolate input into SQL.
const SORT_SQL: Record<UserSortKey, string> = {
  name: 'u.name COLLATE NOCASE',
  email: 'u.email COLLATE NOCASE',
  role: 'u.role',
  status: `(${STATUS_SQL})`
}

export interface UserListQuery {
  enforcedForAll: boolean
  search?: string
  status?: TwoFactorStatus
  sort: UserSortKey
  direction: SortDirection
  after?: { value: string; id: number }
  limit: number
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function filterSql(query: UserListQuery): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = []
  const params: Record<string, unknown> = { policy: query.enforcedForAll ? 1 : 0 }
  if (query.search !== undefined && query.search.length > 0) {
    where.push(`(u.name LIKE @search ESCAPE '\\' OR u.email LIKE @search ESCAPE '\\')`)
    params.search = `%${escapeLike(query.search)}%`
  }
  if (query.status !== undefined) {
    where.push(`(${STATUS_SQL}) = @status`)
    params.status = query.status
  }
  return { where, params }
}

export function listUsers(db: Database, query: UserListQuery): { users: UserRecord[]; sortValues: string[] } {
  const { where, params } = filterSql(query)
  const sortSql = SORT_SQL[query.sort]
  const op = query.direction === 'asc' ? '>' : '<'
  const dir = query.direction === 'asc' ? 'ASC' : 'DESC'
  if (query.after) {
    where.push(`(${sortSql} ${op} @afterValue OR (${sortSql} = @afterValue AND u.id ${op} @afterId))`)
    params.afterValue = query.after.value
    params.afterId = query.after.id
  }
  params.limit = query.limit
  const sql = `
    SELECT u.*, c.confirmed_at AS active_since, ${sortSql} AS sort_value
    FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${sortSql} ${dir}, u.id ${dir}
    LIMIT @limit`
  const rows = db.prepare(sql).all(params) as (UserRow & { sort_value: string })[]
  return { users: rows.map(rowToUser), sortValues: rows.map((row) => row.sort_value) }
}

export function countUsersMatching(db: Database, query: Omit<UserListQuery, 'after' | 'limit' | 'sort' | 'direction'>): number {
  const { where, params } = filterSql({ ...query, sort: 'name', direction: 'asc', limit: 0 })
  const sql = `SELECT count(*) AS n FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`
  return (db.prepare(sql).get(params) as { n: number }).n
}

export function statusDistribution(db: Database, enforcedForAll: boolean): Record<TwoFactorStatus, number> {
  const rows = db
    .prepare(`SELECT ${STATUS_SQL} AS status, count(*) AS n FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id GROUP BY 1`)
    .all({ policy: enforcedForAll ? 1 : 0 }) as { status: TwoFactorStatus; n: number }[]
  const counts: Record<TwoFactorStatus, number> = { active: 0, pending: 0, inactive: 0 }
  for (const row of rows) counts[row.status] = row.n
  return counts
}

/** Users whose status depends on the global policy: not active and inheriting it (admins are always enforced). */
export function countInheritingWithout2fa(db: Database): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id
         WHERE c.user_id IS NULL AND u.role <> 'admin' AND u.enforcement = 'inherit'`
      )
      .get() as { n: number }
  ).n
}

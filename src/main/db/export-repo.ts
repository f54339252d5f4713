// SQL of the exports (src/main/core/export): every user the Users screen's
// filter and search select, in email order, and every audit entry its filter
// selects, in chain order, each read by one statement whose rows stream
// (iterate), so a million rows never sit in memory. A search matches exactly
// as the listing's does (matchingUserIdsStatement), without its 1,000 cap.
// Run inside one read transaction, a count and its rows see the same snapshot.
import type { AuditAction } from '../../shared/domain'
import { rowToAudit, type AuditRecord, type AuditRow } from './audit-repo'
import { classFilterSql, matchingUserIdsStatement, type BoundStatement, type ClassFilter, type SearchTerm } from './listing-repo'
import type { Database } from './sqlite'
import { iterateUsers, SELECT_USER, type UserRecord } from './users-repo'
import { hasRowTests } from './row-filter-repo'

export interface UserExportQuery {
  /** The classes of the filter (null: every user). */
  filter: ClassFilter
  term: SearchTerm | null
}

/** No limit: SQLite reads a negative LIMIT as none. */
const ALL = -1

function userFilter(query: UserExportQuery): BoundStatement {
  if (query.term !== null) {
    // The search's own statement (it filters by class too), uncapped.
    const matches = matchingUserIdsStatement(query.term, query.filter, ALL)
    return { sql: `WHERE u.id IN (${matches.sql})`, params: matches.params }
  }
  if (query.filter.classes === null && !hasRowTests(query.filter)) return { sql: '', params: {} }
  // The unary + keeps SQLite on the email index (rows already in order) rather than a class index and a sort.
  const classes = classFilterSql(query.filter, '+u.tfa_class')
  return { sql: `WHERE 1 ${classes.sql}`, params: classes.params }
}

/** The statement behind iterateUsersForExport, for EXPLAIN QUERY PLAN in the tests. */
export function usersForExportStatement(query: UserExportQuery): BoundStatement {
  const filter = userFilter(query)
  return { sql: `${SELECT_USER} ${filter.sql} ORDER BY u.email`, params: filter.params }
}

/** Every selected user, in email order, one row at a time (a fresh statement: iterate() holds its cursor open). */
export function* iterateUsersForExport(db: Database, query: UserExportQuery): Generator<UserRecord> {
  const { sql, params } = usersForExportStatement(query)
  yield* iterateUsers(db, sql, params)
}

/** How many users a search selects (without one, the class counts say it: see listing-repo). */
export function countUsersForExport(db: Database, query: UserExportQuery): number {
  const filter = userFilter(query)
  return db.prepare(`SELECT count(*) FROM users u ${filter.sql}`).pluck().get(filter.params) as number
}

export interface AuditExportQuery {
  /** Entries whose actor or target is this (ignoring ASCII case). */
  user?: string
  action?: AuditAction
}

function auditFilter(query: AuditExportQuery): BoundStatement {
  const conditions: string[] = []
  const params: Record<string, unknown> = {}
  if (query.user !== undefined && query.user.length > 0) {
    conditions.push('(actor = @user COLLATE NOCASE OR target = @user COLLATE NOCASE)')
    params.user = query.user
  }
  if (query.action !== undefined) {
    conditions.push('action = @action')
    params.action = query.action
  }
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params }
}

/** The statement behind iterateAuditForExport, for EXPLAIN QUERY PLAN in the tests. */
export function auditForExportStatement(query: AuditExportQuery): BoundStatement {
  const filter = auditFilter(query)
  return { sql: `SELECT * FROM audit_log ${filter.sql} ORDER BY id`, params: filter.params }
}

/** Every selected entry with its links, oldest first, one row at a time. */
export function* iterateAuditForExport(db: Database, query: AuditExportQuery): Generator<AuditRecord> {
  const { sql, params } = auditForExportStatement(query)
  for (const row of db.prepare(sql).iterate(params) as Iterable<AuditRow>) yield rowToAudit(row)
}

export function countAuditForExport(db: Database, query: AuditExportQuery): number {
  const filter = auditFilter(query)
  return db.prepare(`SELECT count(*) FROM audit_log ${filter.sql}`).pluck().get(filter.params) as number
}

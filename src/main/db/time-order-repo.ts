// SQL of the Users table's sorts by a time of the optional columns (last 2FA
// login, 2FA active since, enforced individually since, locked until): users
// who have the time first, by (time, id) from its partial index (migration 12),
// then those who have none, by id (the table's own order). Both parts are
// keyset seeks, never OFFSET; the class filter and the row tests are row tests
// here (+), except that a narrow row test reads its own, smaller, partial index.
import type { SortDirection, TimeSortKey } from '../../shared/domain'
import type { BoundStatement } from './order-sql'
import { classFilterSql, narrowIndexOf, type ClassFilter } from './row-filter-repo'
import type { Database } from './sqlite'
import { readUsers, SELECT_USER, type UserRecord } from './users-repo'

interface TimeOrderSql {
  /** The time. */
  value: string
  /** Whether the user has the time (as the partial index's WHERE, which it implies). */
  present: string
  index: string
}

export const TIME_ORDER_SQL: Record<TimeSortKey, TimeOrderSql> = {
  lastTwoFactorLogin: { value: 'u.last_2fa_login_at', present: 'u.last_2fa_login_at IS NOT NULL', index: 'users_by_last_2fa_login' },
  activeSince: { value: 'u.tfa_active_since', present: 'u.tfa_active_since IS NOT NULL', index: 'users_by_active_since' },
  enforcedSince: { value: 'u.enforcement_at', present: "u.enforcement = 'enforced' AND u.enforcement_at IS NOT NULL", index: 'users_by_enforced_since' },
  // A lock that ended is no lock: such users are among those without the time.
  lockedUntil: { value: 'u.locked_until', present: 'u.locked_until IS NOT NULL AND u.locked_until > @now', index: 'users_by_locked_until' }
}

export interface TimeSeekQuery {
  order: TimeSortKey
  direction: SortDirection
  /** The users who have the time (true), or those who have none (false). */
  present: boolean
  filter: ClassFilter
  /** The last row seen in this part: its time (ignored when `present` is false) and id. */
  after?: { value: number; id: number }
  limit: number
  now: number
  /**
   * The classes hold few users (a status, a group): gather their rows from the class index and sort
   * them, instead of walking the time's index past the many users of other classes.
   */
  gather?: boolean
}

export function seekUsersByTime(db: Database, query: TimeSeekQuery): UserRecord[] {
  const { sql, params } = seekUsersByTimeStatement(query)
  return readUsers(db, sql, params)
}

export function seekUsersByTimeStatement(query: TimeSeekQuery): BoundStatement {
  const order = TIME_ORDER_SQL[query.order]
  const asc = query.direction === 'asc'
  const dir = asc ? 'ASC' : 'DESC'
  const gather = query.gather === true && query.filter.classes !== null
  const classes = classFilterSql(query.filter, gather ? 'u.tfa_class' : '+u.tfa_class')
  const params: Record<string, unknown> = { ...classes.params, limit: query.limit }
  const where = [query.present ? order.present : `NOT (${order.present})`]
  if (query.present || order.present.includes('@now')) params.now = query.now
  if (query.after !== undefined) {
    params.afterId = query.after.id
    if (query.present) {
      params.afterValue = query.after.value
      where.push(asc ? `${order.value} >= @afterValue AND (${order.value} > @afterValue OR u.id > @afterId)` : `${order.value} <= @afterValue AND (${order.value} < @afterValue OR u.id < @afterId)`)
    } else {
      where.push(asc ? 'u.id > @afterId' : 'u.id < @afterId')
    }
  }
  // A narrow row test holds fewer users than either part: its index, then a sort of those few.
  const narrow = narrowIndexOf(query.filter.rows)
  const index = narrow !== null ? `INDEXED BY ${narrow}` : gather ? 'INDEXED BY users_by_class_name' : query.present ? `INDEXED BY ${order.index}` : 'NOT INDEXED'
  const orderBy = query.present ? `${order.value} ${dir}, u.id ${dir}` : `u.id ${dir}`
  const sql = `${SELECT_USER.replace('FROM users u', `FROM users u ${index}`)}
    WHERE ${where.join(' AND ')} ${classes.sql}
    ORDER BY ${orderBy}
    LIMIT @limit`
  return { sql, params }
}

/** The group and text expressions of a time order for a sorted page of search matches: those with the time first, in either direction. */
export function timeMatchOrder(order: TimeSortKey): { group: string; text: string } {
  const { value, present } = TIME_ORDER_SQL[order]
  return { group: `(CASE WHEN ${present} THEN 0 ELSE 1 END)`, text: `(CASE WHEN ${present} THEN ${value} ELSE 0 END)` }
}

// SQL of the listing engine (src/main/core/listing): keyset pages of users in
// each sort order, search matches, the class counters, and the bounded index
// steps that jumps to a position are made of. Every statement here is fixed
// text chosen from a few fragments by enums; values are always bound, so each
// text is prepared once per connection.
import type { Role, SortDirection, TimeSortKey, TwoFactorClass } from '../../shared/domain'
import { TIME_SORT_KEYS } from '../../shared/domain'
import type { Database } from './sqlite'
import { ORDER_SQL, type BoundStatement, type ListOrder } from './order-sql'
import { DUE_BY_SQL, narrowIndexOf, rowTestsSql, type RowTests } from './row-filter-repo'
import { statement } from './statements'
import { timeMatchOrder } from './time-order-repo'
import { readUsers, rowToUser, SELECT_USER, USER_FIELDS, userRows, type UserRecord } from './users-repo'

// ---- Keyset pages ----



/** A position in a keyset: the last row seen, by its order text and id. */
export interface SeekAfter {
  text: string
  id: number
}

/** One ordered index range: all users, or one class and/or one role, in name or email order. */
export interface SeekQuery {
  order: ListOrder
  direction: SortDirection
  twoFactorClass?: TwoFactorClass
  /**
   * Many classes at once (more than a merge of one seek per class is worth):
   * one index range in the sort order, filtered by class; instead of `twoFactorClass`.
   */
  twoFactorClasses?: readonly TwoFactorClass[]
  /**
   * With `twoFactorClasses`: gather the classes' rows from their class index and sort them, instead of
   * filtering the sort order's index: the cheaper way when the classes hold few users.
   */
  gather?: boolean
  role?: Role
  /**
   * Only users whose own deadline passed by then (or administrators): the overdue part of an `always`
   * class. With `twoFactorClasses`, it tests the rows of `always` classes only.
   */
  dueBy?: number
  /** Row tests of the filters beyond the classes: with a narrow one, the range is read from its partial index. */
  rows?: RowTests
  after?: SeekAfter
  limit: number
}


/**
 * Reads `limit` users from one index, starting after a keyset position. With an
 * equality on the class and/or role and a range on (text, id), each query is a
 * seek into users_by_name_key, the email index, users_by_role or users_by_class_*
 * (see migration 2): its cost does not grow with the directory.
 */
export function seekUsers(db: Database, query: SeekQuery): UserRecord[] {
  const { sql, params } = seekUsersStatement(query)
  return readUsers(db, sql, params)
}


export function seekUsersStatement(query: SeekQuery): BoundStatement {
  const text = ORDER_SQL[query.order]
  const asc = query.direction === 'asc'
  const where: string[] = []
  const params: Record<string, unknown> = { limit: query.limit }
  if (query.twoFactorClass !== undefined) {
    where.push('u.tfa_class = @twoFactorClass')
    params.twoFactorClass = query.twoFactorClass
  }
  if (query.twoFactorClasses !== undefined) {
    // Filtered: the unary + keeps SQLite on the sort order's index. Gathered: the class index, one range per class, then a sort.
    where.push(`${query.gather === true ? '' : '+'}u.tfa_class IN (SELECT value FROM json_each(@twoFactorClasses))`)
    params.twoFactorClasses = JSON.stringify(query.twoFactorClasses)
  }
  if (query.role !== undefined) {
    where.push('u.role = @role')
    params.role = query.role
  }
  if (query.dueBy !== undefined) {
    // Among many classes, the deadline test is for the `always` ones only (the others are due as a class).
    where.push(query.twoFactorClasses === undefined ? DUE_BY_SQL : `(u.tfa_class NOT GLOB 'always*' OR ${DUE_BY_SQL})`)
    params.dueBy = query.dueBy
  }
  const rows = rowTestsSql(query.rows)
  if (rows.sql !== '') {
    where.push(rows.sql.slice(' AND '.length))
    Object.assign(params, rows.params)
  }
  if (query.after !== undefined) {
    // The first term bounds the index range; the second only breaks ties on the text.
    where.push(asc ? `${text} >= @afterText AND (${text} > @afterText OR u.id > @afterId)` : `${text} <= @afterText AND (${text} < @afterText OR u.id < @afterId)`)
    params.afterText = query.after.text
    params.afterId = query.after.id
  }
  const dir = asc ? 'ASC' : 'DESC'
  const gatherIndex = query.role !== undefined ? 'users_by_class_role' : query.order === 'email' ? 'users_by_class_email' : 'users_by_class_name'
  // A narrow row test (a small set) reads its partial index: in name order a seek, in another order a sort of its few rows.
  const index = narrowIndexOf(query.rows) ?? (query.twoFactorClasses !== undefined && query.gather === true ? gatherIndex : null)
  const select = index !== null ? SELECT_USER.replace('FROM users u', `FROM users u INDEXED BY ${index}`) : SELECT_USER
  const sql = `${select}
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${text} ${dir}, u.id ${dir}
    LIMIT @limit`
  return { sql, params }
}

export type MatchOrder = 'name' | 'email' | 'role' | 'status' | TimeSortKey

export interface MatchPageQuery {
  /** The matches: a few ids, or a statement of ids (`id`) read inside the page's statement (a search's arms, uncapped). */
  ids: readonly number[] | BoundStatement
  order: MatchOrder
  direction: SortDirection
  /** For order 'status': the rank of each class under the current enforcement (classes not named rank last). */
  classRanks?: Partial<Record<TwoFactorClass, number>>
  /** The group (role, or status rank) and the text and id of the last row seen. */
  after?: { group: string | number | null; text: string | number; id: number }
  /** Rows of the sorted matches to pass over first: a jump to a position (at most a search's 1,000 matches). */
  offset?: number
  limit: number
  /** For the time orders: the moment a lock is compared with. */
  now?: number
}

/**
 * One sorted page of a bounded set of users (a search's matches, at most a few
 * thousand): sorted in SQLite, then only the page's rows are read in full.
 */
export function pageOfMatches(db: Database, query: MatchPageQuery): UserRecord[] {
  const { sql, params } = matchPageStatement(query)
  return readUsers(db, sql, params)
}

/**
 * A sorted page of every match (no keyset: a first page, or a jump by offset)
 * and how many match in all, counted by the same read: sorting them reads
 * every match anyway, so the count costs the window, not a second pass over
 * the index. When the offset is past the end the page is empty and the matches
 * are counted on their own.
 */
export function countedPageOfMatches(db: Database, query: Omit<MatchPageQuery, 'after'>): { rows: UserRecord[]; total: number } {
  const { sql, params } = matchPageStatement(query, true)
  const found = userRows(db, sql, params)
  if (found.rows.length > 0) return { rows: found.rows.map((row) => rowToUser(row, found.at)), total: found.rows[0]![found.column('match_total')] as number }
  const ids = Array.isArray(query.ids) ? { sql: 'SELECT value AS id FROM json_each(@ids)', params: { ids: JSON.stringify(query.ids) } } : (query.ids as BoundStatement)
  return { rows: [], total: statement(db, `SELECT count(*) FROM (${ids.sql})`, { pluck: true }).get(ids.params) as number }
}

export function matchPageStatement(query: MatchPageQuery, counted = false): BoundStatement {
  const asc = query.direction === 'asc'
  const dir = asc ? 'ASC' : 'DESC'
  const op = asc ? '>' : '<'
  const time = isTimeOrder(query.order) ? timeMatchOrder(query.order) : null
  const text = time !== null ? time.text : query.order === 'email' ? 'u.email' : 'u.name_key'
  const group =
    time !== null
      ? time.group
      : query.order === 'role'
        ? 'u.role'
        : query.order === 'status'
          ? `coalesce(json_extract(@ranks, '$."' || u.tfa_class || '"'), 2)`
          : null
  // Users with the time come first in either direction.
  const groupDir = time !== null ? 'ASC' : dir
  const groupOp = time !== null ? '>' : op
  const fromStatement = !Array.isArray(query.ids)
  const source = query.ids as BoundStatement
  const params: Record<string, unknown> = { ...(fromStatement ? source.params : { ids: JSON.stringify(query.ids) }), limit: query.limit, offset: query.offset ?? 0 }
  if (time !== null) params.now = query.now ?? 0
  if (query.order === 'status') params.ranks = JSON.stringify(query.classRanks ?? {})
  let keyset = ''
  if (query.after !== undefined) {
    const textThenId = `(${text} ${op} @afterText OR (${text} = @afterText AND u.id ${op} @afterId))`
    keyset = group === null ? `WHERE ${textThenId}` : `WHERE (${group} ${groupOp} @afterGroup OR (${group} = @afterGroup AND ${textThenId}))`
    Object.assign(params, { afterText: query.after.text, afterId: query.after.id })
    if (group !== null) params.afterGroup = query.after.group
  }
  const orderBy = `${group === null ? '' : `${group} ${groupDir}, `}${text} ${dir}, u.id ${dir}`
  // Sort the matches carrying only their ids, then read the page's full rows (and sort those few again).
  const sql = `
    SELECT ${counted ? 'page.match_total, ' : ''}${USER_FIELDS} FROM (
      SELECT u.id${counted ? ', count(*) OVER () AS match_total' : ''} FROM ${fromStatement ? `(${source.sql}) j CROSS JOIN users u ON u.id = j.id` : 'json_each(@ids) j CROSS JOIN users u ON u.id = j.value'}
      ${keyset}
      ORDER BY ${orderBy}
      LIMIT @limit OFFSET @offset) page
    CROSS JOIN users u ON u.id = page.id
    LEFT JOIN totp_credentials c ON c.user_id = u.id
    ORDER BY ${orderBy}`
  return { sql, params }
}

/** The users of these ids, in the ids' order (those that exist). */
export function usersInOrder(db: Database, ids: readonly number[]): UserRecord[] {
  if (ids.length === 0) return []
  const sql = `SELECT ${USER_FIELDS} FROM json_each(@ids) j CROSS JOIN users u ON u.id = j.value
    LEFT JOIN totp_credentials c ON c.user_id = u.id ORDER BY j.key`
  return readUsers(db, sql, { ids: JSON.stringify(ids) })
}

function isTimeOrder(order: MatchOrder): order is TimeSortKey {
  return (TIME_SORT_KEYS as readonly string[]).includes(order)
}

export const CLASS_COUNTS_SQL = 'SELECT tfa_class, users FROM class_counts'

/** Users per 2FA class (base class and group set), for the classes that have users. */
export type ClassCounts = ReadonlyMap<TwoFactorClass, number>

/** The highest user id (0 for none): one step down the table's b-tree. */
export function maxUserId(db: Database): number {
  return statement(db, 'SELECT coalesce(max(id), 0) FROM users', { pluck: true }).get() as number
}

/** Users per 2FA class: one row per class in use, kept exact by triggers (migration 8), so no count ever scans users. */
export function readClassCounts(db: Database): ClassCounts {
  const rows = statement(db, CLASS_COUNTS_SQL).all() as { tfa_class: TwoFactorClass; users: number }[]
  const counts = new Map<TwoFactorClass, number>()
  for (const row of rows) if (row.users > 0) counts.set(row.tfa_class, row.users)
  return counts
}

/** How many users of the selected classes (all when null) the counters hold. */
export function countOfClasses(counts: ClassCounts, classes: readonly TwoFactorClass[] | null): number {
  let total = 0
  if (classes === null) for (const n of counts.values()) total += n
  else for (const twoFactor of classes) total += counts.get(twoFactor) ?? 0
  return total
}

export { MAX_MERGED_CLASSES, countKeysFrom, keyAfter, keyAfterStatement, type KeyRange, type SortKey } from './signposts-repo'
export { ORDER_SQL, type BoundStatement, type ListOrder } from './order-sql'
export { ALL_CLASSES, classFilterSql, type ClassFilter, type RowTest, type RowTests } from './row-filter-repo'
export { asciiLower, countMatches, findMatchingUserIds, idsInFilter, matchingUserIdsStatement, matchSql, type SearchTerm } from './search-repo'

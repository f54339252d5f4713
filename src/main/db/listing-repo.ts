// SQL of the listing engine (src/main/core/listing): keyset pages of users in
// each sort order, search matches, the class counters, and the bounded index
// steps that jumps to a position are made of. Every statement here is fixed
// text chosen from a few fragments by enums; values are always bound, so each
// text is prepared once per connection.
import type { Role, SortDirection, TwoFactorClass } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'
import { rowToUser, SELECT_USER, type UserRecord, type UserRow } from './users-repo'

// ---- Keyset pages ----

export type ListOrder = 'name' | 'email'

// Both collate NOCASE: users_by_name is on name COLLATE NOCASE, the email column is declared NOCASE.
const ORDER_SQL: Record<ListOrder, string> = { name: 'u.name COLLATE NOCASE', email: 'u.email' }

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
  role?: Role
  after?: SeekAfter
  limit: number
}

/**
 * Reads `limit` users from one index, starting after a keyset position. With an
 * equality on the class and/or role and a range on (text, id), each query is a
 * seek into users_by_name, the email index, users_by_role or users_by_class_*
 * (see migration 2): its cost does not grow with the directory.
 */
export function seekUsers(db: Database, query: SeekQuery): UserRecord[] {
  const { sql, params } = seekUsersStatement(query)
  return (statement(db, sql).all(params) as UserRow[]).map(rowToUser)
}

/** A statement and its parameters, exported so tests can EXPLAIN it and the benchmark can time it bare. */
export interface BoundStatement {
  sql: string
  params: Record<string, unknown>
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
  if (query.role !== undefined) {
    where.push('u.role = @role')
    params.role = query.role
  }
  if (query.after !== undefined) {
    // The first term bounds the index range; the second only breaks ties on the text.
    where.push(asc ? `${text} >= @afterText AND (${text} > @afterText OR u.id > @afterId)` : `${text} <= @afterText AND (${text} < @afterText OR u.id < @afterId)`)
    params.afterText = query.after.text
    params.afterId = query.after.id
  }
  const dir = asc ? 'ASC' : 'DESC'
  const sql = `${SELECT_USER}
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${text} ${dir}, u.id ${dir}
    LIMIT @limit`
  return { sql, params }
}

/**
 * A search term: `substring` (at least three characters) uses the trigram index,
 * `prefix` the name and email indexes. Either way a user matches when the name or
 * the email contains (or starts with) the term, ignoring ASCII case: exactly what
 * LIKE '%term%' (or 'term%') would answer, without reading every row.
 */
export interface SearchTerm {
  kind: 'substring' | 'prefix'
  text: string
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** lower() in SQLite folds ASCII only; the search index holds lower(name) and lower(email). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/** The largest code point: every string that starts with a prefix sorts below prefix + this. */
const MAX_CHAR = String.fromCodePoint(0x10ffff)

/**
 * Ids of up to `limit` users matching the term, and one of `classes` when given,
 * in the order the index yields them (not sorted). The caller asks for one more
 * than it will show to learn whether the matches were cut off.
 */
export function findMatchingUserIds(db: Database, term: SearchTerm, classes: readonly TwoFactorClass[] | null, limit: number): number[] {
  const { sql, params } = matchingUserIdsStatement(term, classes, limit)
  return statement(db, sql, { pluck: true }).all(params) as number[]
}

export function matchingUserIdsStatement(term: SearchTerm, classes: readonly TwoFactorClass[] | null, limit: number): BoundStatement {
  // Two class parameters always: a status is one or two classes.
  const classFilter = classes === null ? '' : 'AND u.tfa_class IN (@class0, @class1)'
  const params: Record<string, unknown> = { limit }
  if (classes !== null) {
    params.class0 = classes[0] ?? null
    params.class1 = classes[1] ?? classes[0] ?? null
  }
  let sql: string
  if (term.kind === 'substring') {
    // A quoted FTS5 string is one phrase of trigrams: an exact substring match on the lowered text.
    params.match = `"${asciiLower(term.text).replace(/"/g, '""')}"`
    sql =
      classes === null
        ? 'SELECT rowid FROM users_search WHERE users_search MATCH @match LIMIT @limit'
        : `SELECT u.id FROM users_search s CROSS JOIN users u ON u.id = s.rowid
           WHERE users_search MATCH @match ${classFilter} LIMIT @limit`
  } else {
    params.low = term.text
    params.high = term.text + MAX_CHAR
    params.like = `${escapeLike(term.text)}%`
    // Name prefixes from users_by_name, then email prefixes of users whose name did not match:
    // disjoint, so no de-duplication (and no sort) is needed before the LIMIT.
    sql = `
      SELECT id FROM (
        SELECT u.id FROM users u
        WHERE u.name COLLATE NOCASE >= @low AND u.name COLLATE NOCASE < @high AND +u.name LIKE @like ESCAPE '\\' ${classFilter}
        LIMIT @limit)
      UNION ALL
      SELECT id FROM (
        SELECT u.id FROM users u
        WHERE u.email >= @low AND u.email < @high AND +u.email LIKE @like ESCAPE '\\'
          AND NOT (+u.name LIKE @like ESCAPE '\\') ${classFilter}
        LIMIT @limit)
      LIMIT @limit`
  }
  return { sql, params }
}

export type MatchOrder = 'name' | 'email' | 'role' | 'status'

export interface MatchPageQuery {
  ids: readonly number[]
  order: MatchOrder
  direction: SortDirection
  /** For order 'status': the rank of each class under the current policy. */
  classRanks?: Record<TwoFactorClass, number>
  /** The group (role, or status rank) and the text and id of the last row seen. */
  after?: { group: string | number | null; text: string; id: number }
  /** Rows of the sorted matches to pass over first: a jump to a position (at most a search's 1,000 matches). */
  offset?: number
  limit: number
}

/**
 * One sorted page of a bounded set of users (a search's matches, at most a few
 * thousand): sorted in SQLite, then only the page's rows are read in full.
 */
export function pageOfMatches(db: Database, query: MatchPageQuery): UserRecord[] {
  const { sql, params } = matchPageStatement(query)
  return (statement(db, sql).all(params) as UserRow[]).map(rowToUser)
}

export function matchPageStatement(query: MatchPageQuery): BoundStatement {
  const asc = query.direction === 'asc'
  const dir = asc ? 'ASC' : 'DESC'
  const op = asc ? '>' : '<'
  const text = query.order === 'email' ? 'u.email' : 'u.name COLLATE NOCASE'
  const group =
    query.order === 'role'
      ? 'u.role'
      : query.order === 'status'
        ? "CASE u.tfa_class WHEN 'active' THEN @rankActive WHEN 'always' THEN @rankAlways WHEN 'inherit' THEN @rankInherit ELSE @rankExempt END"
        : null
  const params: Record<string, unknown> = { ids: JSON.stringify(query.ids), limit: query.limit, offset: query.offset ?? 0 }
  if (query.order === 'status') {
    const ranks = query.classRanks ?? { active: 0, always: 1, inherit: 2, exempt: 2 }
    Object.assign(params, { rankActive: ranks.active, rankAlways: ranks.always, rankInherit: ranks.inherit, rankExempt: ranks.exempt })
  }
  let keyset = ''
  if (query.after !== undefined) {
    const textThenId = `(${text} ${op} @afterText OR (${text} = @afterText AND u.id ${op} @afterId))`
    keyset = group === null ? `WHERE ${textThenId}` : `WHERE (${group} ${op} @afterGroup OR (${group} = @afterGroup AND ${textThenId}))`
    Object.assign(params, { afterText: query.after.text, afterId: query.after.id })
    if (group !== null) params.afterGroup = query.after.group
  }
  const orderBy = `${group === null ? '' : `${group} ${dir}, `}${text} ${dir}, u.id ${dir}`
  // Sort the matches carrying only their ids, then read the page's full rows (and sort those few again).
  const sql = `
    SELECT u.*, c.confirmed_at AS active_since FROM (
      SELECT u.id FROM json_each(@ids) j CROSS JOIN users u ON u.id = j.value
      ${keyset}
      ORDER BY ${orderBy}
      LIMIT @limit OFFSET @offset) page
    CROSS JOIN users u ON u.id = page.id
    LEFT JOIN totp_credentials c ON c.user_id = u.id
    ORDER BY ${orderBy}`
  return { sql, params }
}

export const CLASS_COUNTS_SQL = 'SELECT tfa_class, users FROM class_counts'

/** Users per 2FA class: four rows kept exact by triggers (migration 2), so no count ever scans users. */
export function readClassCounts(db: Database): Record<TwoFactorClass, number> {
  const rows = statement(db, CLASS_COUNTS_SQL).all() as { tfa_class: TwoFactorClass; users: number }[]
  const counts: Record<TwoFactorClass, number> = { active: 0, always: 0, inherit: 0, exempt: 0 }
  for (const row of rows) counts[row.tfa_class] = row.users
  return counts
}

// ---- Listing: signposts for jumping to a position ----
//
// A virtualized table jumps to row k of a list. OFFSET would step through k rows
// of the table; instead the listing keeps every Nth sort key of each index range
// (a signpost) and steps from the nearest one through at most N - 1 index
// entries. Both statements below are that bounded step.

/**
 * The rows of one rank of a list, in ascending (text, id) order: all users, one
 * role, and/or one or more classes (a status is one or two classes, whose index
 * ranges SQLite merges in order without sorting).
 */
export interface KeyRange {
  order: ListOrder
  role?: Role
  twoFactorClasses?: readonly TwoFactorClass[]
}

/** A position in a key range: a row's order text and id. */
export interface SortKey {
  text: string
  id: number
}

/** The rows of the range from `from` (inclusive) on, ascending, as (text, id): one index range per class. */
function keysFromSql(range: KeyRange): string {
  const text = ORDER_SQL[range.order]
  const arm = (classParam: string | null) => {
    const where = [`${text} >= @fromText`, `(${text} > @fromText OR u.id >= @fromId)`]
    if (range.role !== undefined) where.unshift('u.role = @role')
    if (classParam !== null) where.unshift(`u.tfa_class = ${classParam}`)
    return `SELECT ${text} AS text, u.id AS id FROM users u WHERE ${where.join(' AND ')}`
  }
  const classes = range.twoFactorClasses ?? []
  if (classes.length <= 1) return `${arm(classes.length === 1 ? '@class0' : null)} ORDER BY ${text}, u.id`
  // A compound SELECT ordered by the columns its arms are each ordered by: SQLite merges the arms (MERGE (UNION ALL)).
  return `${classes.map((_, index) => arm(`@class${index}`)).join(' UNION ALL ')} ORDER BY 1 COLLATE NOCASE, 2`
}

function keyRangeParams(range: KeyRange, from: SortKey): Record<string, unknown> {
  const params: Record<string, unknown> = { fromText: from.text, fromId: from.id }
  if (range.role !== undefined) params.role = range.role
  ;(range.twoFactorClasses ?? []).forEach((twoFactor, index) => (params[`class${index}`] = twoFactor))
  return params
}

/** The key `skip` rows after `from` (inclusive: skip 0 is `from` itself when it exists), or null past the end. */
export function keyAfter(db: Database, range: KeyRange, from: SortKey, skip: number): SortKey | null {
  const { sql, params } = keyAfterStatement(range, from, skip)
  return (statement(db, sql).get(params) as SortKey | undefined) ?? null
}

export function keyAfterStatement(range: KeyRange, from: SortKey, skip: number): BoundStatement {
  // The OFFSET applies to an index range that starts at a signpost, so it is never more than a signpost's spacing.
  return { sql: `${keysFromSql(range)} LIMIT 1 OFFSET @skip`, params: { ...keyRangeParams(range, from), skip } }
}

/** How many rows the range has from `from` (inclusive), counting at most `limit`. */
export function countKeysFrom(db: Database, range: KeyRange, from: SortKey, limit: number): number {
  const sql = `SELECT count(*) FROM (${keysFromSql(range)} LIMIT @limit)`
  return statement(db, sql, { pluck: true }).get({ ...keyRangeParams(range, from), limit }) as number
}

// SQL of a search page in an order (src/main/core/listing/search-page.ts): the
// ways to read one page of a term's matches in name, email or status order
// without sorting them all. What a term means and its shapes are in
// search-repo.ts; every statement here tests each row with its matchSql().
import type { Role, TwoFactorClass } from '../../shared/domain'
import { foldName } from '../../shared/name-key'
import type { BoundStatement } from './order-sql'
import { classFilterSql, hasRowTests, narrowIndexOf, type ClassFilter } from './row-filter-repo'
import { asciiLower, DOMAINS_HIT_CTE, keep, KEY_NAME, matchSql, maybeMatchSql, phrase, prefixEnd, shapeOf, type SearchTerm } from './search-repo'
import type { Database } from './sqlite'
import { statement } from './statements'

export interface OrderedPrefixQuery {
  term: SearchTerm & { kind: 'prefix' }
  filter: ClassFilter
  order: 'name' | 'email'
  direction: 'asc' | 'desc'
  after?: { text: string; id: number }
  limit: number
  /** Only one class, or (in name order) one role: its own index (class or role, then the order's text) is the range. */
  group?: { twoFactorClass: TwoFactorClass } | { role: Role }
}

/**
 * A page of a prefix search in name or email order, as ids in order: the arm
 * of the order's own column is a range of its index read in order (a seek),
 * the other arm (names that start with the term but whose email does not, or
 * the reverse: few) is sorted; SQLite merges the two.
 */
export function orderedPrefixPageStatement(query: OrderedPrefixQuery): BoundStatement {
  const text = query.order === 'name' ? 'u.name_key' : 'u.email'
  const asc = query.direction === 'asc'
  const dir = asc ? 'ASC' : 'DESC'
  const shape = shapeOf(query.term)
  // The unary + keeps SQLite on the order's index rather than a class index.
  const { sql: classFilter, params: classParams } = classFilterSql(query.filter, '+u.tfa_class')
  const keyset =
    query.after === undefined ? '' : asc ? `AND ${text} >= @afterText AND (${text} > @afterText OR u.id > @afterId)` : `AND ${text} <= @afterText AND (${text} < @afterText OR u.id < @afterId)`
  const name = `${KEY_NAME} LIKE @like ESCAPE '\\'`
  const email = "+u.email LIKE @like ESCAPE '\\'"
  const own =
    query.order === 'name'
      ? `u.name_key >= @lowKey AND u.name_key < @highKey AND ${name}`
      : `u.email >= @low AND u.email < @high AND ${email}`
  // The other arm's users have a name and an email that start differently: their partial index (migration 13) holds them.
  const differs = 'substr(lower(u.name), 1, 2) <> substr(lower(u.email), 1, 2)'
  const other =
    query.order === 'name'
      ? `${differs} AND u.email >= @low AND u.email < @high AND ${email} AND NOT (${name})`
      : `${differs} AND u.name_key >= @lowKey AND u.name_key < @highKey AND ${name} AND NOT (${email})`
  const group = query.group === undefined ? null : 'role' in query.group ? (query.order === 'name' ? 'role' : null) : 'class'
  const groupTest = group === 'role' ? 'AND u.role = @groupRole' : group === 'class' ? 'AND u.tfa_class = @groupClass' : ''
  const arm = (where: string, index: string) =>
    `SELECT * FROM (SELECT u.id AS id, ${text} AS k FROM users u INDEXED BY ${index} WHERE ${where} ${groupTest} ${keyset} ${classFilter} ORDER BY ${text} ${dir}, u.id ${dir} LIMIT @limit)`
  const ownIndex =
    query.order === 'name'
      ? group === 'role' ? 'users_by_role' : group === 'class' ? 'users_by_class_name' : 'users_by_name_key'
      : group === 'class' ? 'users_by_class_email' : 'sqlite_autoindex_users_1'
  const otherIndex = query.order === 'name' ? 'users_prefix_differ_by_email' : 'users_prefix_differ_by_name'
  const sql = `SELECT id, k FROM (${arm(own, ownIndex)} UNION ALL ${arm(other, otherIndex)}) ORDER BY k ${dir}, id ${dir} LIMIT @limit`
  const params: Record<string, unknown> = { ...shape.params, ...classParams, limit: query.limit }
  if (query.after !== undefined) Object.assign(params, { afterText: query.after.text, afterId: query.after.id })
  if (query.group !== undefined && group !== null) Object.assign(params, 'role' in query.group ? { groupRole: query.group.role } : { groupClass: query.group.twoFactorClass })
  return { sql, params: keep(params, sql) }
}

/** The page's ids in order, with their order text. */
export function orderedPrefixPage(db: Database, query: OrderedPrefixQuery): { id: number; k: string }[] {
  const { sql, params } = orderedPrefixPageStatement(query)
  return statement(db, sql).all(params) as { id: number; k: string }[]
}

export interface WalkQuery {
  term: SearchTerm
  filter: ClassFilter
  order: 'name' | 'email'
  direction: 'asc' | 'desc'
  after?: { text: string; id: number }
  /** Rows of the order's index to read at most (per class, when walking one class's index). */
  budget: number
  limit: number
  /** Walk this one class's index (tfa_class, order, id) instead of the whole order's. */
  twoFactorClass?: TwoFactorClass
  /** Walk this one role's users in name order: the administrators' own partial index, another role's (role, name key, id). */
  role?: Role
}

/**
 * The matches among the next `budget` rows of an order's index from the cursor,
 * in order (at most `limit`), with their order text. The budget bounds the rows
 * read from the index whatever the filter; the filter and the exact test apply
 * to the rows the index lets through.
 */
export function walkMatchesStatement(query: WalkQuery): BoundStatement {
  const inner = walkInner(query)
  const match = matchSql(query.term)
  const { sql: classFilter, params: classParams } = classFilterSql(query.filter)
  // A term in the name is in the name key: testing the index's columns first lets through every match.
  const maybe = maybeMatchSql(query.term, 'w.nameKey', 'w.email')
  const sql = `SELECT u.id AS id, w.${query.order === 'name' ? 'nameKey' : 'email'} AS k FROM (${inner.sql}) w CROSS JOIN users u ON u.id = w.id
    WHERE 1 ${maybe.sql} AND ${match.sql} ${classFilter} LIMIT @limit`
  return { sql, params: keep({ ...inner.params, ...classParams, ...match.params, ...maybe.params, limit: query.limit }, sql) }
}

/**
 * The rows a walk reads: the next `budget` entries of the order's index (or of
 * one class's), whatever the filter. Both whole-order indexes hold the name key
 * (which holds the name: name-key.ts) and the email, so without a class the
 * walk reads only the index.
 */
function walkInner(query: WalkQuery): BoundStatement {
  const text = query.order === 'name' ? 'name_key' : 'email'
  const asc = query.direction === 'asc'
  const dir = asc ? 'ASC' : 'DESC'
  const perClass = query.twoFactorClass !== undefined
  const perRole = query.role !== undefined && query.order === 'name'
  // The administrators: their own partial index holds the email too, so the walk reads no user row to test one.
  const admins = perRole && query.role === 'admin'
  const index = perRole
    ? admins
      ? 'users_admins_by_name'
      : 'users_by_role'
    : perClass
      ? query.order === 'name'
        ? 'users_by_class_name'
        : 'users_by_class_email'
      : query.order === 'name'
        ? 'users_by_name_key'
        : 'users_walk_by_email'
  const group = admins ? "u.role = 'admin'" : perRole ? 'u.role = @walkRole' : perClass ? 'u.tfa_class = @walkClass' : '1'
  const keyset =
    query.after === undefined ? '' : asc ? `AND u.${text} >= @afterText AND (u.${text} > @afterText OR u.id > @afterId)` : `AND u.${text} <= @afterText AND (u.${text} < @afterText OR u.id < @afterId)`
  const sql = `SELECT u.id AS id, u.name_key AS nameKey, u.email AS email FROM users u INDEXED BY ${index}
    WHERE ${group} ${keyset} ORDER BY u.${text} ${dir}, u.id ${dir} LIMIT @budget`
  const params: Record<string, unknown> = { budget: query.budget, walkClass: query.twoFactorClass, walkRole: query.role }
  if (query.after !== undefined) Object.assign(params, { afterText: query.after.text, afterId: query.after.id })
  return { sql, params: keep(params, sql) }
}

/**
 * A walk of the order's index: the matching ids in order with their order
 * text, and whether the walk saw the end of the list (else it stopped at its
 * budget of rows).
 */
export function walkMatches(db: Database, query: WalkQuery): { rows: { id: number; k: string }[]; reachedEnd: boolean; lastRead?: { text: string; id: number } } {
  const { sql, params } = walkMatchesStatement(query)
  const rows = statement(db, sql).all(params) as { id: number; k: string }[]
  if (rows.length >= query.limit) return { rows, reachedEnd: false }
  // The last row the walk read (the budget-th), from which a longer walk goes on; none: the list ended.
  const inner = walkInner(query)
  const text = query.order === 'name' ? 'nameKey' : 'email'
  const last = statement(db, `SELECT ${text} AS text, id FROM (${inner.sql}) LIMIT 1 OFFSET @budget - 1`).get(inner.params) as { text: string; id: number } | undefined
  return last === undefined ? { rows, reachedEnd: true } : { rows, reachedEnd: false, lastRead: last }
}

/** A term of three characters or more without an @, and the order that splits its matches. */
export interface StartingQuery {
  term: SearchTerm
  filter: ClassFilter
  order: 'name' | 'email'
}

/** The test that the order's column starts with the term (ASCII case ignored), on `u`. */
function startsSql(order: 'name' | 'email'): string {
  // The name as the name key holds it: the name order's index answers without the user's row.
  return order === 'name' ? `instr(lower(${KEY_NAME}), @q) = 1` : 'instr(lower(u.email), @q) = 1'
}

/**
 * A page of the matches whose name (or email) starts with the term, in that
 * order, with their order text: a range of the order's index (the folded name
 * key of a name that starts with the term starts with the folded term).
 */
export function startingPageStatement(query: StartingQuery & { direction: 'asc' | 'desc'; after?: { text: string; id: number }; limit: number }): BoundStatement {
  const q = asciiLower(query.term.text)
  const text = query.order === 'name' ? 'u.name_key' : 'u.email'
  const asc = query.direction === 'asc'
  const dir = asc ? 'ASC' : 'DESC'
  const range = query.order === 'name' ? 'u.name_key >= @lowKey AND u.name_key < @highKey' : 'u.email >= @low AND u.email < @high'
  const keyset =
    query.after === undefined ? '' : asc ? `AND ${text} >= @afterText AND (${text} > @afterText OR u.id > @afterId)` : `AND ${text} <= @afterText AND (${text} < @afterText OR u.id < @afterId)`
  // A filter of one class alone (a status without groups): the range within that class's part of its order
  // index, in order (it holds what the test reads), instead of the whole range with each user's row read for
  // its class. Of several classes, each range would be read whole and sorted: the whole range is read instead.
  const oneClass = query.filter.classes?.length === 1 && !hasRowTests(query.filter) && query.filter.dueBy === null ? query.filter.classes[0] : undefined
  const { sql: classFilter, params: classParams } =
    oneClass === undefined ? classFilterSql(query.filter, '+u.tfa_class') : { sql: 'AND u.tfa_class = @oneClass', params: { oneClass } }
  const byClass = oneClass !== undefined
  const index = query.order === 'name' ? (byClass ? 'users_by_class_name' : 'users_by_name_key') : byClass ? 'users_by_class_email' : 'users_walk_by_email'
  const sql = `SELECT u.id AS id, ${text} AS k FROM users u INDEXED BY ${index}
    WHERE ${range} AND ${startsSql(query.order)} ${keyset} ${classFilter} ORDER BY ${text} ${dir}, u.id ${dir} LIMIT @limit`
  const params: Record<string, unknown> = { ...classParams, q, low: q, high: prefixEnd(q, true), lowKey: foldName(q), highKey: prefixEnd(foldName(q), true), limit: query.limit }
  if (query.after !== undefined) Object.assign(params, { afterText: query.after.text, afterId: query.after.id })
  return { sql, params: keep(params, sql) }
}

/**
 * Up to `limit` ids of the other matches: those whose name (or email) does not
 * start with the term. The trigram index answers "contains, not at the start"
 * by itself (an initial-token phrase, ^), with the users of the domains that
 * contain the term.
 */
export function otherMatchesStatement(query: StartingQuery, limit: number): BoundStatement {
  const q = asciiLower(query.term.text)
  const column = query.order === 'name' ? 'name' : 'local'
  const { sql: classFilter, params: classParams } = classFilterSql(query.filter)
  const domains = `SELECT u.id FROM hit CROSS JOIN users u INDEXED BY users_by_domain ON u.email_domain = hit.domain WHERE NOT (${startsSql(query.order)}) ${classFilter} LIMIT @armLimit`
  const words = `SELECT u.id FROM users_search s CROSS JOIN users u ON u.id = s.rowid
    WHERE users_search MATCH @notStarting AND u.email_domain NOT IN (SELECT domain FROM hit) ${classFilter} LIMIT @armLimit`
  const sql = `${DOMAINS_HIT_CTE} SELECT id FROM (${domains}) UNION ALL SELECT id FROM (${words}) LIMIT @armLimit`
  const params = { ...classParams, q, notStarting: `${phrase(q)} NOT ${column} : ^${phrase(q)}`, armLimit: limit }
  return { sql, params: keep(params, sql) }
}

export function startingPage(db: Database, query: Parameters<typeof startingPageStatement>[0]): { id: number; k: string }[] {
  const { sql, params } = startingPageStatement(query)
  return statement(db, sql).all(params) as { id: number; k: string }[]
}

export function otherMatches(db: Database, query: StartingQuery, limit: number): number[] {
  const { sql, params } = otherMatchesStatement(query, limit)
  return statement(db, sql, { pluck: true }).all(params) as number[]
}

/**
 * Up to `limit` matches within a narrow filter (locked, disabled, administrators...:
 * a small set with its own partial index, migration 12), read from that index
 * and each tested: the cost grows with the small set, not with the matches.
 * Null when the filter has no narrow test.
 */
export function narrowMatchesStatement(term: SearchTerm, filter: ClassFilter, limit: number): BoundStatement | null {
  const index = narrowIndexOf(filter.rows)
  if (index === null) return null
  // The narrow indexes hold the name key, the email and every column a filter tests (migration 15): the index alone.
  const match = matchSql(term, KEY_NAME)
  const maybe = maybeMatchSql(term, 'u.name_key', 'u.email')
  const { sql: classFilter, params: classParams } = classFilterSql(filter, '+u.tfa_class')
  const sql = `SELECT u.id FROM users u INDEXED BY ${index} WHERE 1 ${maybe.sql} AND ${match.sql} ${classFilter} LIMIT @limit`
  return { sql, params: keep({ ...classParams, ...match.params, ...maybe.params, limit }, sql) }
}

export function narrowMatches(db: Database, term: SearchTerm, filter: ClassFilter, limit: number): number[] | null {
  const bound = narrowMatchesStatement(term, filter, limit)
  return bound === null ? null : (statement(db, bound.sql, { pluck: true }).all(bound.params) as number[])
}

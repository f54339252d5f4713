// SQL of the jump signposts (src/main/core/listing/jump-signposts.ts): the
// bounded index steps of one index range (all users, one role, and/or some
// classes) that a jump to a position of the Users table is made of.
import type { Role, TwoFactorClass } from '../../shared/domain'
import { ORDER_SQL, type BoundStatement, type ListOrder } from './order-sql'
import type { Database } from './sqlite'
import { statement } from './statements'

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

/**
 * Above this many classes in one rank, a list reads one index range filtered by
 * class instead of merging one seek per class: a merge costs a seek per class
 * for every page, a filtered range costs the rows it passes over. Classes are
 * combinations of groups in use (migration 8): a few per group, normally.
 */
export const MAX_MERGED_CLASSES = 24

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
  // Too many arms to merge (SQLite allows 500 in a compound): one range of the order's index, filtered.
  if (classes.length > MAX_MERGED_CLASSES) return `${arm(null)} AND +u.tfa_class IN (SELECT value FROM json_each(@classes)) ORDER BY ${text}, u.id`
  // A compound SELECT ordered by the columns its arms are each ordered by: SQLite merges the arms (MERGE (UNION ALL)).
  return `${classes.map((_, index) => arm(`@class${index}`)).join(' UNION ALL ')} ORDER BY 1 COLLATE NOCASE, 2`
}

function keyRangeParams(range: KeyRange, from: SortKey): Record<string, unknown> {
  const params: Record<string, unknown> = { fromText: from.text, fromId: from.id }
  if (range.role !== undefined) params.role = range.role
  const classes = range.twoFactorClasses ?? []
  if (classes.length > MAX_MERGED_CLASSES) params.classes = JSON.stringify(classes)
  else classes.forEach((twoFactor, index) => (params[`class${index}`] = twoFactor))
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

// The sort orders of the Users table as index ranges ("arms"): one per 2FA
// class (a status is one or two classes) and per role when sorting by role,
// each read by keyset from its own index and merged here, so that no query
// ever sorts the directory.
import type { Role, TwoFactorClass, TwoFactorStatus, UserSortKey } from '../../../shared/domain'
import { ROLES, TWO_FACTOR_STATUSES } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import * as listingRepo from '../../db/listing-repo'
import type { ClassCounts, ClassFilter, ListOrder, SeekQuery } from '../../db/listing-repo'
import { isNarrow } from '../../db/row-filter-repo'
import type { UserRecord } from '../../db/users-repo'
import { parseClass, statusOfClass, type EnforcementPolicy } from '../enforcement/rules'
import type { CursorPosition, ListRequest } from './list-request'

/** One index range of a page; arms of equal rank interleave, ranks follow each other. */
export interface Arm {
  rank: number
  query: Pick<SeekQuery, 'order' | 'twoFactorClass' | 'twoFactorClasses' | 'gather' | 'role' | 'dueBy'>
}

export function orderOf(sort: UserSortKey): ListOrder {
  return sort === 'email' ? 'email' : 'name'
}

export const ROLE_ORDER: readonly Role[] = [...ROLES].sort()

export function statusRank(status: TwoFactorStatus): number {
  return TWO_FACTOR_STATUSES.indexOf(status)
}

export function classRanks(classes: Iterable<TwoFactorClass>, policy: EnforcementPolicy): Partial<Record<TwoFactorClass, number>> {
  const ranks: Partial<Record<TwoFactorClass, number>> = {}
  for (const twoFactor of classes) ranks[twoFactor] = statusRank(statusOfClass(twoFactor, policy))
  return ranks
}

/** What a list reads: its classes (all when null; `inUse` are the classes that have users) and the overdue test. */
export interface ArmSource {
  filter: ClassFilter
  inUse: readonly TwoFactorClass[]
  policy: EnforcementPolicy
  /** Users per class, when known: they choose between merging one seek per class and one filtered range. */
  counts?: ClassCounts
}

function classQuery(order: ListOrder, twoFactor: TwoFactorClass, dueBy: number | null): Arm['query'] {
  return dueBy !== null && parseClass(twoFactor).base === 'always' ? { order, twoFactorClass: twoFactor, dueBy } : { order, twoFactorClass: twoFactor }
}

export function armsFor(sort: UserSortKey, source: ArmSource): Arm[] {
  const order = orderOf(sort)
  const { classes, dueBy } = source.filter
  if (sort === 'status') {
    return (classes ?? source.inUse).map((twoFactor) => ({
      rank: statusRank(statusOfClass(twoFactor, source.policy)),
      query: classQuery(order, twoFactor, dueBy)
    }))
  }
  if (sort === 'role') {
    return ROLE_ORDER.flatMap((role, rank) =>
      classes === null
        ? [{ rank, query: { order, role } }]
        : classes.map((twoFactor) => ({ rank, query: { ...classQuery(order, twoFactor, dueBy), role } }))
    )
  }
  return classes === null ? [{ rank: 0, query: { order } }] : classes.map((twoFactor) => ({ rank: 0, query: classQuery(order, twoFactor, dueBy) }))
}

export function rankOfGroup(sort: UserSortKey, group: string | null): number {
  if (sort === 'status') return statusRank(group as TwoFactorStatus)
  if (sort === 'role') return ROLE_ORDER.indexOf(group as Role)
  return 0
}

/**
 * Whether one filtered range of the sort order's index reads fewer rows than a
 * merge of one seek per class: a merge reads up to a page from every class, a
 * filtered range about a page times the share of users its classes do not hold.
 * Without counts, only past listingRepo.MAX_MERGED_CLASSES.
 */
/** What one statement costs beyond the rows it reads, in rows (measured: about 0.2 ms a seek, a row a few µs). */
const SEEK_COST_ROWS = 40

type ClassesPlan = 'merge' | 'filter' | 'gather'

/**
 * The cheapest way to read a page of many classes: merge one seek per class
 * (a statement each, up to a page from each), filter one range of the sort
 * order's index (about a page times the share of users the classes do not
 * hold), or gather every row of the classes from their class index and sort
 * them (as many rows as the classes hold). Without counts: merge, or filter
 * past listingRepo.MAX_MERGED_CLASSES.
 */
export function planClasses(classes: readonly TwoFactorClass[], counts: ClassCounts | undefined, page: number): ClassesPlan {
  if (counts === undefined) return classes.length > listingRepo.MAX_MERGED_CLASSES ? 'filter' : 'merge'
  let all = 0
  for (const users of counts.values()) all += users
  let held = 0
  let merge = 0
  for (const twoFactor of classes) {
    const users = counts.get(twoFactor) ?? 0
    held += users
    merge += SEEK_COST_ROWS + Math.min(page, users)
  }
  const filter = held > 0 ? SEEK_COST_ROWS + (page * all) / held : Infinity
  const gather = SEEK_COST_ROWS + held * 1.5
  if (merge <= filter && merge <= gather) return 'merge'
  return filter <= gather ? 'filter' : 'gather'
}

/**
 * The arms a page reads: those of armsFor, except that a rank whose classes are
 * cheaper to read otherwise than one seek each (planClasses) reads them with one
 * statement per role and overdue test instead: filtered or gathered.
 */
export function readArms(sort: UserSortKey, source: ArmSource, page = 51): Arm[] {
  const arms = armsFor(sort, source)
  const buckets = new Map<string, Arm[]>()
  for (const arm of arms) {
    const key = `${arm.rank}|${arm.query.role ?? '*'}`
    const bucket = buckets.get(key)
    if (bucket) bucket.push(arm)
    else buckets.set(key, [arm])
  }
  return [...buckets.values()].flatMap((bucket) => {
    const classes = bucket.flatMap((arm) => (arm.query.twoFactorClass === undefined ? [] : [arm.query.twoFactorClass]))
    // With a narrow row test, one read of its partial index beats a seek per class.
    const narrow = source.filter.rows?.tests.some(isNarrow) === true
    const plan = bucket.length <= 1 || classes.length < bucket.length ? 'merge' : narrow ? 'filter' : planClasses(classes, source.counts, page)
    if (plan === 'merge') return bucket
    const first = bucket[0]!
    const dueBy = bucket.find((arm) => arm.query.dueBy !== undefined)?.query.dueBy
    const { twoFactorClass: _one, dueBy: _due, ...rest } = first.query
    void _one
    void _due
    return [{ rank: first.rank, query: { ...rest, twoFactorClasses: classes, ...(dueBy === undefined ? {} : { dueBy }), ...(plan === 'gather' ? { gather: true } : {}) } }]
  })
}

export function seekPage(db: Database, request: ListRequest, source: ArmSource, after: CursorPosition | null, wanted: number): UserRecord[] {
  const asc = request.direction === 'asc'
  const arms = readArms(request.sort, source, wanted)
  const ranks = [...new Set(arms.map((arm) => arm.rank))].sort((a, b) => (asc ? a - b : b - a))
  const cursorRank = after === null ? null : rankOfGroup(request.sort, after.group)
  const order = orderOf(request.sort)
  const rows: UserRecord[] = []
  for (const rank of ranks) {
    // Groups before the cursor's are done; the cursor's group resumes after its row; later ones start at their beginning.
    if (cursorRank !== null && (asc ? rank < cursorRank : rank > cursorRank)) continue
    const resume = after !== null && rank === cursorRank ? { after: { text: after.text, id: after.id } } : {}
    const need = wanted - rows.length
    const parts = arms
      .filter((arm) => arm.rank === rank)
      .map((arm) => listingRepo.seekUsers(db, { ...arm.query, rows: source.filter.rows, direction: request.direction, limit: need, ...resume }))
    rows.push(...(parts.length === 1 ? parts[0]! : mergeSorted(parts, order, asc)).slice(0, need))
    if (rows.length >= wanted) break
  }
  return rows
}

/** Merges arms that are each sorted by (text, id), as SQLite sorted them. */
function mergeSorted(parts: UserRecord[][], order: ListOrder, asc: boolean): UserRecord[] {
  const textOf = (user: UserRecord) => (order === 'email' ? user.email : user.nameKey)
  return parts.flat().sort((a, b) => {
    const byKey = compareNoCase(textOf(a), textOf(b)) || a.id - b.id
    return asc ? byKey : -byKey
  })
}

/**
 * SQLite's NOCASE collation: ASCII letters folded to lower case, then compared
 * in UTF-8 byte order, which is code point order. UTF-16 code units agree with
 * code points except that surrogates (characters above U+FFFF) sort above U+E000..U+FFFF.
 */
export function compareNoCase(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 65 && x <= 90) x += 32
    if (y >= 65 && y <= 90) y += 32
    if (x === y) continue
    const xSurrogate = x >= 0xd800 && x <= 0xdfff
    const ySurrogate = y >= 0xd800 && y <= 0xdfff
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

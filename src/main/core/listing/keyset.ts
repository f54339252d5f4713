// The sort orders of the Users table as index ranges ("arms"): one per 2FA
// class (a status is one or two classes) and per role when sorting by role,
// each read by keyset from its own index and merged here, so that no query
// ever sorts the directory.
import type { Role, TwoFactorClass, TwoFactorStatus, UserSortKey } from '../../../shared/domain'
import { ROLES, TWO_FACTOR_CLASSES, TWO_FACTOR_STATUSES } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import * as listingRepo from '../../db/listing-repo'
import type { ListOrder, SeekQuery } from '../../db/listing-repo'
import type { UserRecord } from '../../db/users-repo'
import { statusOfClass } from '../enforcement/rules'
import type { CursorPosition, ListRequest } from './list-request'

/** One index range of a page; arms of equal rank interleave, ranks follow each other. */
export interface Arm {
  rank: number
  query: Pick<SeekQuery, 'order' | 'twoFactorClass' | 'role'>
}

export function orderOf(sort: UserSortKey): ListOrder {
  return sort === 'email' ? 'email' : 'name'
}

export const ROLE_ORDER: readonly Role[] = [...ROLES].sort()

export function statusRank(status: TwoFactorStatus): number {
  return TWO_FACTOR_STATUSES.indexOf(status)
}

export function classRanks(enforcedForAll: boolean): Record<TwoFactorClass, number> {
  const ranks = { active: 0, always: 0, inherit: 0, exempt: 0 }
  for (const twoFactor of TWO_FACTOR_CLASSES) ranks[twoFactor] = statusRank(statusOfClass(twoFactor, enforcedForAll))
  return ranks
}

export function armsFor(sort: UserSortKey, classes: readonly TwoFactorClass[] | null, enforcedForAll: boolean): Arm[] {
  const order = orderOf(sort)
  if (sort === 'status') {
    return (classes ?? TWO_FACTOR_CLASSES).map((twoFactor) => ({
      rank: statusRank(statusOfClass(twoFactor, enforcedForAll)),
      query: { order, twoFactorClass: twoFactor }
    }))
  }
  if (sort === 'role') {
    return ROLE_ORDER.flatMap((role, rank) =>
      classes === null ? [{ rank, query: { order, role } }] : classes.map((twoFactor) => ({ rank, query: { order, role, twoFactorClass: twoFactor } }))
    )
  }
  return classes === null ? [{ rank: 0, query: { order } }] : classes.map((twoFactor) => ({ rank: 0, query: { order, twoFactorClass: twoFactor } }))
}

export function rankOfGroup(sort: UserSortKey, group: string | null): number {
  if (sort === 'status') return statusRank(group as TwoFactorStatus)
  if (sort === 'role') return ROLE_ORDER.indexOf(group as Role)
  return 0
}

export function seekPage(
  db: Database,
  request: ListRequest,
  classes: readonly TwoFactorClass[] | null,
  after: CursorPosition | null,
  wanted: number
): UserRecord[] {
  const asc = request.direction === 'asc'
  const arms = armsFor(request.sort, classes, request.enforcedForAll)
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
      .map((arm) => listingRepo.seekUsers(db, { ...arm.query, direction: request.direction, limit: need, ...resume }))
    rows.push(...(parts.length === 1 ? parts[0]! : mergeSorted(parts, order, asc)).slice(0, need))
    if (rows.length >= wanted) break
  }
  return rows
}

/** Merges arms that are each sorted by (text, id), as SQLite sorted them. */
function mergeSorted(parts: UserRecord[][], order: ListOrder, asc: boolean): UserRecord[] {
  const textOf = (user: UserRecord) => (order === 'email' ? user.email : user.name)
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

// Jumps to a position of the Users table (a virtualized table's scrollbar):
// the cursor just before row k, found from the signposts of each rank of the
// list (jump-signposts.ts), so that the ordinary keyset seek starts at row k.
import type { UserSortKey } from '../../../shared/domain'
import { TWO_FACTOR_STATUSES } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import type { KeyRange } from '../../db/listing-repo'
import type { JumpSignposts } from './jump-signposts'
import { keyAtPosition } from './jump-signposts'
import { armsFor, ROLE_ORDER, type ArmSource } from './keyset'
import type { CursorPosition, ListRequest } from './list-request'
import { searchTerm } from './search-term'
import { isTimeSort } from './time-sort'

/** One rank of a list (a role, a status, or the whole list) as the index range its signposts walk. */
interface JumpRank {
  rank: number
  range: KeyRange
}

function jumpRanks(sort: UserSortKey, source: ArmSource): JumpRank[] {
  const arms = armsFor(sort, source)
  const ranks = [...new Set(arms.map((arm) => arm.rank))].sort((a, b) => a - b)
  return ranks.map((rank) => {
    const mine = arms.filter((arm) => arm.rank === rank)
    const first = mine[0]!.query
    const twoFactorClasses = mine.flatMap((arm) => (arm.query.twoFactorClass === undefined ? [] : [arm.query.twoFactorClass]))
    return {
      rank,
      range: {
        order: first.order,
        role: first.role,
        twoFactorClasses: twoFactorClasses.length > 0 ? twoFactorClasses : undefined
      }
    }
  })
}

/**
 * Whether the signposts can serve a jump in this list: not for a search, and
 * not for the overdue part of `always` classes, whose members depend on each
 * user's deadline and the clock, nor for lists with row tests (row-filters.ts:
 * the signposts know only names, emails, roles and classes). Those lists step
 * from the start instead.
 */
export function jumpsBySignposts(request: ListRequest, source: ArmSource): boolean {
  return searchTerm(request.query) === null && source.filter.dueBy === null && (source.filter.rows?.tests.length ?? 0) === 0 && !isTimeSort(request.sort)
}

/** The index ranges whose signposts a request needs: none without a position, or for a search. */
export function jumpRanges(request: ListRequest, source: ArmSource): KeyRange[] {
  if (request.position === undefined || request.position === 0 || !jumpsBySignposts(request, source)) return []
  return jumpRanks(request.sort, source).map((jumpRank) => jumpRank.range)
}

/**
 * The cursor just before row `position` of the list, so that the ordinary seek
 * starts at that row; null for the first row, 'end' past the last. Ranks follow
 * each other (administrators before users, active before pending); within a
 * rank the row is found from its signposts, read from the other end when the
 * list is descending. Counts are the signposts': exact unless they are stale.
 */
export function jumpCursor(
  db: Database,
  request: ListRequest,
  source: ArmSource,
  position: number,
  signposts: JumpSignposts
): CursorPosition | null | 'end' {
  if (position === 0) return null
  const asc = request.direction === 'asc'
  const ranks = jumpRanks(request.sort, source)
  let remaining = position
  for (const { rank, range } of asc ? ranks : [...ranks].reverse()) {
    const set = signposts.current(db, range)
    if (remaining >= set.count) {
      remaining -= set.count
      continue
    }
    const key = keyAtPosition(db, range, set, asc ? remaining : set.count - 1 - remaining)
    if (key === null) return 'end'
    // Ids are integers: resuming after id - 1 (ascending) or id + 1 (descending) starts at the key's own row.
    return { group: groupOfRank(request.sort, rank), text: key.text, id: asc ? key.id - 1 : key.id + 1 }
  }
  return 'end'
}

function groupOfRank(sort: UserSortKey, rank: number): string | null {
  if (sort === 'status') return TWO_FACTOR_STATUSES[rank] ?? null
  if (sort === 'role') return ROLE_ORDER[rank] ?? null
  return null
}

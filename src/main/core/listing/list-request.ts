// What the listing engine is asked and what it answers, shared by its parts.
import type { SortDirection, TwoFactorFilter, UserSortKey } from '../../../shared/domain'
import type { EnforcementPolicy } from '../enforcement/rules'
import type { UserRecord } from '../../db/users-repo'
import type { RowQuestion } from './row-filters'

export interface ListRequest extends RowQuestion {
  sort: UserSortKey
  direction: SortDirection
  status?: TwoFactorFilter
  /** Only members of this group. */
  groupId?: number
  query?: string
  cursor?: string
  /** 0-based row of the sorted, filtered list to start at, instead of a cursor. */
  position?: number
  limit: number
  /** The enforcement settings the page is read under (statuses, ranks and deadlines come from them). */
  policy: EnforcementPolicy
  /** The moment deadlines are compared with. */
  now: number
}

export interface ListResult {
  records: UserRecord[]
  nextCursor: string | null
  total: number
  /** True when a search matched more than SEARCH_LIMIT users: `total` is then SEARCH_LIMIT. */
  totalCapped: boolean
  /** Where the page begins in the whole list: set when the request gave a position (clamped to total). */
  start?: number
}

/** Where a page ended: the group (role or status, for those sorts), the name or email, and the id. */
export interface CursorPosition {
  group: string | null
  text: string
  id: number
}

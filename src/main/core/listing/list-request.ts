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
  /**
   * A search page that would sort every match (its cost grows with them) is not
   * read: the answer says `searchPlan: 'deferred'`, and listUserPage reads it in
   * a background task instead.
   */
  deferSorted?: boolean
  /**
   * That background task: the search's page is every match sorted, read at
   * once (the thread that deferred it has probed and walked already).
   */
  sortAll?: boolean
  /** The search's bounds (search-page.ts), for tests only: the defaults otherwise. */
  searchTuning?: SearchTuning
}

export interface ListResult {
  records: UserRecord[]
  nextCursor: string | null
  total: number
  /** True when a search's count did not come with the page: `total` is then a lower bound, and countUsers gives the exact number. */
  countPending: boolean
  /** How a search's page was read (search-page.ts), for the tests and the bench. */
  searchPlan?: SearchPlan
  /** Where the page begins in the whole list: set when the request gave a position (clamped to total). */
  start?: number
}

/** Where a page ended: the group (role or status, for those sorts), the name or email, and the id. */
export interface CursorPosition {
  group: string | null
  text: string
  id: number
}

/** How a search's page was read: see search-page.ts. */
export type SearchPlan = 'few' | 'ordered-prefix' | 'words' | 'pieces' | 'class-walk' | 'class-walk-words' | 'walk' | 'starting' | 'sorted' | 'deferred'

/** The bounds of a search's ways (search-page.ts), as one value: the tests pass small ones to take every way on a small directory. */
export interface SearchTuning {
  fewMatches: number
  walkRows: number
  maxWalkRows: number
  /** false: never a one-word page (search-words.ts, search-class-walk.ts) nor a page of a term's pieces (search-pieces.ts), so the tests reach the other ways with the same terms. */
  words?: boolean
  /** Users of a term's driving piece that a pieces page reads at most (MAX_PIECE_ROWS). */
  pieceRows?: number
  /** Rows of the administrators' own index a page within them reads before any probe (ADMINS_FIRST_ROWS). */
  adminRows?: number
  /** Entries of each class's index a page of a common word within a status walks before the words page goes on (MAX_CLASS_WALK). */
  classWalkRows?: number
}

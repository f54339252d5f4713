// A sorted page of a search's matches (search-page.ts, and the split of
// search-walk.ts): of the few ids in hand, or of every match read inside the
// page's statement, in the list's order from its cursor.
import type { UserRecord } from '../../db/users-repo'
import * as listingRepo from '../../db/listing-repo'
import type { Database } from '../../db/connection'
import { sqlGroup } from './cursor'
import type { SearchTerm } from '../../db/listing-repo'
import { classRanks, type ArmSource } from './keyset'
import { isTimeSort } from './time-sort'
import type { CursorPosition, ListRequest, SearchTuning } from './list-request'

/** What a search page is read from: the list's request, its classes, the term, the cursor and the rows wanted. */
export interface SearchPageInput {
  request: ListRequest
  source: ArmSource
  term: SearchTerm
  after: CursorPosition | null
  wanted: number
  tuning?: SearchTuning
}

/** A sorted page of the matches: of the few ids in hand, or of every match read inside the page's statement. */
export function sortedPage(db: Database, input: SearchPageInput, ids: readonly number[] | null, offset: number | undefined): UserRecord[] {
  return listingRepo.pageOfMatches(db, matchPageQuery(input, ids, offset))
}

export function matchPageQuery(input: SearchPageInput, ids: readonly number[] | null, offset: number | undefined): listingRepo.MatchPageQuery {
  const { request, source, term, after } = input
  return {
    ids: ids ?? listingRepo.matchingUserIdsStatement(term, source.filter, -1),
    order: request.sort,
    direction: request.direction,
    classRanks: request.sort === 'status' ? classRanks(source.inUse, request.policy) : undefined,
    after: after === null ? undefined : { group: sqlGroup(request.sort, after.group), text: isTimeSort(request.sort) ? Number(after.text) : after.text, id: after.id },
    offset,
    limit: input.wanted,
    now: request.now
  }
}

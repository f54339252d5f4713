// The listing engine: every question the screens ask about many users at once,
// answered at any directory size, behind one function each:
//   listUserPage(ctx, input)         a page of the Users table (filter, search, sort, cursor or position)
//   twoFactorDistribution(db, policy) the 2FA distribution of Account > Security, from the class counters
// Its SQL is in src/main/db/listing-repo.ts.
//
// Without a search, a page is read by keyset from the index of its sort order:
// one seek per class (a status is one or two classes) and per role (when
// sorting by role), merged here, so no query ever sorts or counts the whole
// directory. A search first collects up to SEARCH_LIMIT matching ids from the
// trigram or the prefix indexes, then sorts only those. Totals come from the
// class counts, or from the bounded match set. A jump to a position (a
// virtualized table's scrollbar) starts the same seek at the key of that row,
// found from the signposts (jump-signposts.ts), or, in a search, pages from
// that index of the sorted matches.
//
// The 2FA class rule is written three times, and they must agree:
// tests/unit/listing/class-rule.test.ts checks 1 against 2 for every combination,
// tests/unit/listing/class-counts.test.ts checks 3 against a full recount after random changes.
//   1. twoFactorClass() in src/main/core/enforcement/rules.ts, the TypeScript statement;
//   2. the CASE of the generated column users.tfa_class (migration 2 in src/main/db/migrations.ts),
//      which every class index and the counter triggers are built on;
//   3. the counter triggers users_insert_count / users_delete_count / users_update_count
//      (migration 2), which move a user between the rows of class_counts when
//      the columns the CASE reads (has_totp, role, enforcement) change.
import type { ListUsersInput } from '../../../shared/contract'
import type { Distribution } from '../../../shared/domain'
import { TWO_FACTOR_CLASSES } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { Database } from '../../db/connection'
import * as listingRepo from '../../db/listing-repo'
import { readPolicy } from '../../db/policy-repo'
import type { UserRecord } from '../../db/users-repo'
import type { CoreContext } from '../context'
import { classesWithStatus, statusOfClass } from '../enforcement/rules'
import { decodeUserCursor, encodeUserCursor, groupOf, sqlGroup } from './cursor'
import { JumpSignposts } from './jump-signposts'
import { jumpCursor, jumpRanges } from './jumps'
import { classRanks, orderOf, seekPage } from './keyset'
import type { ListRequest, ListResult } from './list-request'
import { SEARCH_LIMIT, searchTerm } from './search-term'

export type { ListRequest, ListResult } from './list-request'
export { SEARCH_LIMIT, SUBSTRING_MIN_LENGTH, searchTerm } from './search-term'
export { compareNoCase } from './keyset'
export { jumpRanges } from './jumps'

export const DEFAULT_PAGE_SIZE = 50

/** A page of the Users table, as records, with the policy it was read under. */
export interface UserPageRecords extends ListResult {
  enforcedForAll: boolean
}

/**
 * A page of the Users table. The first jump into a range waits for its
 * signposts, built in slices that leave the event loop free.
 */
export async function listUserPage(ctx: CoreContext, input: ListUsersInput): Promise<UserPageRecords> {
  let { enforcedForAll } = readPolicy(ctx.db)
  const request = (): ListRequest => ({
    sort: input.sort ?? 'name',
    direction: input.direction ?? 'asc',
    limit: input.limit ?? DEFAULT_PAGE_SIZE,
    enforcedForAll,
    status: input.status,
    query: input.query,
    cursor: input.cursor,
    position: input.position
  })
  const ranges = jumpRanges(request())
  if (ranges.length > 0) {
    await ctx.signposts.ready(ctx.db, ranges)
    // The policy may have changed while waiting; it decides which classes a status holds.
    enforcedForAll = readPolicy(ctx.db).enforcedForAll
  }
  return { ...listUserRecords(ctx.db, request(), ctx.signposts), enforcedForAll }
}

/** The 2FA distribution under the policy, and how many users follow the policy without 2FA: four counter rows, no scan. */
export function twoFactorDistribution(db: Database, enforcedForAll: boolean): { distribution: Distribution; followingPolicy: number } {
  const counts = listingRepo.readClassCounts(db)
  const distribution: Distribution = { total: 0, active: 0, pending: 0, inactive: 0 }
  for (const twoFactor of TWO_FACTOR_CLASSES) {
    distribution[statusOfClass(twoFactor, enforcedForAll)] += counts[twoFactor]
    distribution.total += counts[twoFactor]
  }
  return { distribution, followingPolicy: counts.inherit }
}

/**
 * A page of users. `signposts` serves jumps to a position; listUserPage passes
 * its cache after awaiting `signposts.ready(db, jumpRanges(request))`, so the
 * first jump into a range never builds them on the event loop's time.
 */
export function listUserRecords(db: Database, request: ListRequest, signposts: JumpSignposts = new JumpSignposts()): ListResult {
  // One read transaction: the signposts brought up to date, the counts and the page all see the same snapshot.
  return db.transaction(() => readUserRecords(db, request, signposts))()
}

function readUserRecords(db: Database, request: ListRequest, signposts: JumpSignposts): ListResult {
  if (request.position !== undefined && request.cursor !== undefined) {
    throw new AppError('VALIDATION', 'Ask for a page by position or by cursor, not both.', 'position')
  }
  let after = request.cursor === undefined ? null : decodeUserCursor(request.cursor, request.sort, request.direction)
  const classes = request.status === undefined ? null : classesWithStatus(request.status, request.enforcedForAll)
  const term = searchTerm(request.query)
  const wanted = request.limit + 1
  let rows: UserRecord[]
  let total: number
  let totalCapped = false
  let start: number | undefined
  if (term === null) {
    const counts = listingRepo.readClassCounts(db)
    total = (classes ?? TWO_FACTOR_CLASSES).reduce((sum, twoFactor) => sum + counts[twoFactor], 0)
    if (request.position !== undefined) {
      start = Math.min(request.position, total)
      const jump = start === total ? 'end' : jumpCursor(db, request, classes, start, signposts)
      if (jump === 'end') return { records: [], nextCursor: null, total, totalCapped, start }
      after = jump
    }
    rows = seekPage(db, request, classes, after, wanted)
  } else {
    const ids = listingRepo.findMatchingUserIds(db, term, classes, SEARCH_LIMIT + 1)
    totalCapped = ids.length > SEARCH_LIMIT
    const matches = totalCapped ? ids.slice(0, SEARCH_LIMIT) : ids
    total = matches.length
    // The matches are few and sorted in SQLite anyway: a position is exact, an offset into them.
    if (request.position !== undefined) start = Math.min(request.position, total)
    rows =
      matches.length === 0 || start === total
        ? []
        : listingRepo.pageOfMatches(db, {
            ids: matches,
            order: request.sort,
            direction: request.direction,
            classRanks: request.sort === 'status' ? classRanks(request.enforcedForAll) : undefined,
            after: after === null ? undefined : { group: sqlGroup(request.sort, after.group), text: after.text, id: after.id },
            offset: start,
            limit: wanted
          })
  }
  const page = rows.slice(0, request.limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > request.limit && last
      ? encodeUserCursor(request.sort, request.direction, {
          group: groupOf(request.sort, last, request.enforcedForAll),
          text: orderOf(request.sort) === 'email' ? last.email : last.name,
          id: last.id
        })
      : null
  return { records: page, nextCursor, total, totalCapped, start }
}

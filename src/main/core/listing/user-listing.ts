// The listing engine: every question the screens ask about many users at once,
// answered at any directory size, behind one function each:
//   listUserRecords(db, request)     a page of the Users table (filter, search, sort, cursor or position);
//                                    listUserPage (user-page.ts) is the same for the screens, off-thread where it must
//   twoFactorDistribution(db, policy) the 2FA distribution of Account > Security, from the class counters
// Its SQL is in src/main/db/listing-repo.ts.
//
// Without a search, a page is read by keyset from the index of its sort order:
// one seek per class (a status is one or two classes) and per role (when
// sorting by role), merged here, so no query ever sorts or counts the whole
// directory. A search reads its matches from the index that suits the term's
// shape and pages them in the chosen order (search-page.ts); its total is exact
// when it came with the page, else `countPending` and countUsers counts it in
// a background task (search-count.ts). Totals without a search come from the
// class counts. A jump to a position (a virtualized table's scrollbar) starts
// the same seek at the key of that row, found from the signposts
// (jump-signposts.ts), or, in a search, pages from that row of the sorted matches.
//
// The 2FA class rule is written three times, and they must agree:
// tests/unit/listing/class-rule.test.ts checks 1 against 2 for every combination,
// tests/unit/listing/class-counts.test.ts checks 3 against a full recount after random changes.
//   1. twoFactorClass() in src/main/core/enforcement/rules.ts, the TypeScript statement;
//   2. the CASE of the generated column users.tfa_class (migration 8, which made
//      the class a base class and a group set), which every class index and the
//      counter triggers are built on;
//   3. the counter triggers users_insert_count / users_delete_count / users_update_count
//      (migration 8), which move a user between the rows of class_counts when
//      the columns the CASE reads (has_totp, role, enforcement, group_set) change.
// What a class means (its status, its deadline) is read at query time from the
// enforcement settings (class-selection.ts, rules.ts classStanding), so
// enforcing a group or the policy writes one row and every count stays exact.
import type { ListUsersInput } from '../../../shared/contract'
import type { Distribution, TwoFactorClass } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { Database } from '../../db/connection'
import * as groupsRepo from '../../db/groups-repo'
import * as listingRepo from '../../db/listing-repo'
import type { ClassCounts } from '../../db/listing-repo'
import type { UserRecord } from '../../db/users-repo'
import { readEnforcementPolicy } from '../enforcement/policy'
import { classStanding, isDue, parseClass, type EnforcementPolicy } from '../enforcement/rules'
import { armSource, countInFilter } from './class-selection'
import { decodeUserCursor, encodeUserCursor, groupOf } from './cursor'
import { JumpSignposts } from './jump-signposts'
import { jumpCursor, jumpsBySignposts } from './jumps'
import { orderOf, seekPage, type ArmSource } from './keyset'
import type { CursorPosition, ListRequest, ListResult } from './list-request'
import { searchPage, type SearchPlan } from './search-page'
import { searchTerm } from './search-term'
import { isTimeSort, seekTimePage, timeCursor } from './time-sort'

export type { ListRequest, ListResult } from './list-request'
export { SUBSTRING_MIN_LENGTH, searchTerm } from './search-term'
export { compareNoCase } from './keyset'
export { jumpRanges } from './jumps'

export const DEFAULT_PAGE_SIZE = 50

/** A page of the Users table, as records, with the enforcement settings it was read under. */
export interface UserPageRecords extends ListResult {
  policy: EnforcementPolicy
}

/** What listUsers asks the listing engine, under the enforcement settings read now. */
export function requestOf(db: Database, input: ListUsersInput, now: number): ListRequest {
  return {
    sort: input.sort ?? 'name',
    direction: input.direction ?? 'asc',
    limit: input.limit ?? DEFAULT_PAGE_SIZE,
    policy: readEnforcementPolicy(db),
    now,
    status: input.status,
    groupId: input.groupId,
    role: input.role,
    locked: input.locked,
    disabled: input.disabled,
    enforcementSource: input.enforcementSource,
    source: input.source,
    fewRecoveryCodes: input.fewRecoveryCodes,
    query: input.query,
    cursor: input.cursor,
    position: input.position
  }
}

/** The 2FA distribution of some classes (all when null) under the enforcement settings, exact: the class counters, no scan. */
export function distributionOf(db: Database, policy: EnforcementPolicy, now: number, counts: ClassCounts, classes: readonly TwoFactorClass[] | null = null): Distribution {
  const distribution: Distribution = { total: 0, active: 0, pending: 0, inactive: 0, overdue: 0 }
  const perUser: TwoFactorClass[] = []
  for (const twoFactor of classes ?? counts.keys()) {
    const users = counts.get(twoFactor) ?? 0
    if (users === 0) continue
    const standing = classStanding(twoFactor, policy)
    distribution[standing.status] += users
    distribution.total += users
    if (standing.status !== 'pending') continue
    if (standing.deadline === 'per-user') perUser.push(twoFactor)
    if (standing.deadline === 'per-user' || isDue(standing.deadline, now)) distribution.overdue += users
  }
  // Of the `always` classes, those individually enforced whose grace period still runs are not overdue.
  distribution.overdue -= groupsRepo.countIndividualInGrace(db, perUser, now)
  return distribution
}

/** The 2FA distribution of the whole directory now. */
export function twoFactorDistribution(db: Database, policy: EnforcementPolicy, now: number): Distribution {
  return db.transaction(() => distributionOf(db, policy, now, listingRepo.readClassCounts(db)))()
}

/** The classes of a group's members (the group sets that hold it). */
export function classesOfGroup(db: Database, counts: ClassCounts, groupId: number): TwoFactorClass[] {
  const sets = new Set(groupsRepo.setsWithGroup(db, groupId))
  return [...counts.keys()].filter((twoFactor) => sets.has(parseClass(twoFactor).groupSet))
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

/** A page in the request's order: by keyset over the order's indexes, or by a time (time-sort.ts). */
function seekAny(db: Database, request: ListRequest, source: ArmSource, after: CursorPosition | null, wanted: number): UserRecord[] {
  const sort = request.sort
  return isTimeSort(sort) ? seekTimePage(db, { ...request, sort }, source, after, wanted) : seekPage(db, request, source, after, wanted)
}

/** How many rows to step at a time when a list cannot jump by signposts (the overdue part of `always` classes). */
const STEP_ROWS = 1_000

/** The cursor before row `position` of a list read from its start: for the few lists the signposts cannot serve. */
function stepToPosition(db: Database, request: ListRequest, source: ArmSource, position: number): CursorPosition | null {
  let after: CursorPosition | null = null
  let remaining = position
  while (remaining > 0) {
    const rows = seekAny(db, request, source, after, Math.min(remaining, STEP_ROWS))
    if (rows.length === 0) break
    const last = rows[rows.length - 1]!
    after = cursorOf(request, last)
    remaining -= rows.length
  }
  return after
}

function cursorOf(request: ListRequest, user: UserRecord): CursorPosition {
  if (isTimeSort(request.sort)) return timeCursor(request.sort, user, request.now)
  return { group: groupOf(request.sort, user, request.policy), text: orderOf(request.sort) === 'email' ? user.email : user.nameKey, id: user.id }
}

function readUserRecords(db: Database, request: ListRequest, signposts: JumpSignposts): ListResult {
  if (request.position !== undefined && request.cursor !== undefined) {
    throw new AppError('VALIDATION', 'Ask for a page by position or by cursor, not both.', 'position')
  }
  let after = request.cursor === undefined ? null : decodeUserCursor(request.cursor, request.sort, request.direction)
  const source = armSource(db, request.policy, request)
  const term = searchTerm(request.query)
  const wanted = request.limit + 1
  let rows: UserRecord[]
  let total: number
  let countPending = false
  let searchPlan: SearchPlan | undefined
  let start: number | undefined
  if (term === null) {
    total = countInFilter(db, source, request.now)
    if (request.position !== undefined) {
      start = Math.min(request.position, total)
      if (start === total) return { records: [], nextCursor: null, total, countPending, start }
      if (jumpsBySignposts(request, source)) {
        const jump = jumpCursor(db, request, source, start, signposts)
        if (jump === 'end') return { records: [], nextCursor: null, total, countPending, start }
        after = jump
      } else {
        after = stepToPosition(db, request, source, start)
      }
    }
    rows = source.filter.classes !== null && source.filter.classes.length === 0 ? [] : seekAny(db, request, source, after, wanted)
  } else {
    const found = searchPage(db, {
      request,
      source,
      term,
      after,
      wanted,
      tuning: request.searchTuning
    })
    rows = found.rows
    searchPlan = found.plan
    start = found.start
    countPending = !found.exact
    total = found.exact ? found.total : Math.max(found.total, (start ?? 0) + rows.length)
  }
  const page = rows.slice(0, request.limit)
  const last = page[page.length - 1]
  const nextCursor = rows.length > request.limit && last ? encodeUserCursor(request.sort, request.direction, cursorOf(request, last)) : null
  return { records: page, nextCursor, total, countPending, start, searchPlan }
}

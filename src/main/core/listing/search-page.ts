// A page of a search, in the chosen order, keyset-paged over every match (no
// cap), and its total: exact when it came for free, else pending (then
// countUsers counts it off the screens' thread: search-count.ts).
//
// Which way a page is read depends on what the first probe of the indexes
// (src/main/db/search-repo.ts) finds:
//   1. at most FEW_MATCHES users match: all of them are in hand, sorted in
//      SQLite, and the total is exact;
//   2. a prefix in name or email order: the order's own index is a range that
//      is already sorted (a seek), merged with the few others;
//   3. otherwise, in name or email order, the order's index is walked from the
//      cursor, each row tested as the term says, for WALK_ROWS rows and on
//      while sorting every match would cost more (walkBound): many matches
//      spread through the order fill a page at once;
//   4. when they did not (the matches gather in one part of the order, "maria"
//      among the M's), or when so few match in all that sorting them reads less
//      than a walk would (search-probe.ts), every match is sorted in SQLite, in
//      a background task, by one read that counts them too: the cost grows
//      with the matches, not the directory.
import type { UserRecord } from '../../db/users-repo'
import * as listingRepo from '../../db/listing-repo'
import type { Database } from '../../db/connection'
import { ALL_CLASSES, hasRowTests } from '../../db/row-filter-repo'
import { otherMatches, startingPage, walkMatches } from '../../db/search-page-repo'
import { idsInFilter } from '../../db/search-repo'
import type { ClassFilter, SearchTerm } from '../../db/listing-repo'
import type { Role } from '../../../shared/domain'
import { sqlGroup } from './cursor'
import { classRanks, type ArmSource } from './keyset'
import { compareKeys, prefixPage, walkByGroups } from './search-groups'
import type { CursorPosition, ListRequest, SearchPlan, SearchTuning } from './list-request'

export type { SearchPlan, SearchTuning } from './list-request'
export { FEW_MATCHES, fewMatches, matchesAreThin, WALK_CEILING, walkBound } from './search-probe'
import { isTimeSort } from './time-sort'
import { FEW_MATCHES, matchesAreThin, probeMatches, walkBound } from './search-probe'

/** Rows a walk of the whole order's index reads at most, going on while its matches so far say the page is near (more when sorting every match would cost more: walkBound). */
export const MAX_WALK_ROWS = 64_000
/** Rows of the sort order a walk reads, at most, before it sorts every match instead. */
export const WALK_ROWS = 4000

export interface SearchPage {
  rows: UserRecord[]
  /** Exact when `exact`; else a lower bound (0 when nothing is known beyond the page's rows). */
  total: number
  exact: boolean
  start?: number
  /** How the page was read (for the tests and the bench). */
  plan: SearchPlan
}

export interface SearchPageInput {
  request: ListRequest
  source: ArmSource
  term: SearchTerm
  after: CursorPosition | null
  wanted: number
  tuning?: SearchTuning
}

const DEFAULT_TUNING: SearchTuning = { fewMatches: FEW_MATCHES, walkRows: WALK_ROWS, maxWalkRows: MAX_WALK_ROWS }

export function searchPage(db: Database, input: SearchPageInput): SearchPage {
  const { request, source, term, after, wanted } = input
  const { fewMatches: FEW } = input.tuning ?? DEFAULT_TUNING
  const few = (ids: number[]): SearchPage => {
    const total = ids.length
    const start = request.position === undefined ? undefined : Math.min(request.position, total)
    const rows = total === 0 || start === total ? [] : sortedPage(db, input, ids, start)
    return { rows, total, exact: true, start, plan: 'few' }
  }
  // The background task of a deferred page: the thread that answered has probed and walked already.
  if (request.sortAll === true) return everyMatchSorted(db, input, FEW)
  // Position 0 (the Users screen asks its first block so) is the first page: read as one, not by sorting every
  // match (480 ms for "m" at 1M, where the first page takes 1 ms).
  if (request.position === 0) {
    const page = searchPage(db, { ...input, request: { ...request, position: undefined } })
    return { ...page, start: 0 }
  }
  const filtered = source.filter.classes !== null || hasRowTests(source.filter)
  const probe = (): number[] => listingRepo.findMatchingUserIds(db, term, source.filter, FEW + 1)
  const probed = probeMatches(db, term, source.filter, FEW)
  if (probed.few !== null) return few(probed.few)
  if (filtered && request.position !== undefined) {
    const ids = probe()
    if (ids.length <= FEW) return few(ids)
  }
  const deferred: SearchPage = { rows: [], total: 0, exact: false, plan: 'deferred' }
  if (request.position !== undefined) {
    // A jump into many matches: the sorted matches from that row (an offset into them).
    if (request.deferSorted === true) return deferred
    return everyMatchSorted(db, input, FEW)
  }
  const order = request.sort
  // More than FEW match when the probe of the list itself said so; with a filter whose own probe was skipped,
  // nothing is known beyond the rows at hand (the listing makes the total at least those).
  const many = { total: filtered ? 0 : FEW + 1, exact: false } as const
  if (term.kind === 'prefix' && (order === 'name' || order === 'email')) {
    // The administrators in name order: the prefix's range of their role's index, not of everyone's names.
    const role = order === 'name' ? roleOfFilter(source.filter) : undefined
    const ids = prefixPage(db, {
      ...(role === undefined ? {} : { role }),
      term: { kind: 'prefix', text: term.text },
      filter: source.filter,
      order,
      direction: request.direction,
      after: after === null ? undefined : { text: after.text, id: after.id },
      limit: wanted
    })
    return { rows: listingRepo.usersInOrder(db, ids.map((row) => row.id)), ...many, plan: 'ordered-prefix' }
  }
  const { walkRows, maxWalkRows } = input.tuning ?? DEFAULT_TUNING
  // So few match in all that sorting them reads less than a walk would: no walk, no split.
  const users = source.counts === undefined ? 0 : listingRepo.countOfClasses(source.counts, null)
  const maxId = listingRepo.maxUserId(db)
  const thin = matchesAreThin(probed.sample, users, maxId, wanted)
  // (A walk of the name or email order tries the split between its first stretch and the rest.)
  const walked = thin
    ? null
    : order === 'status' || order === 'role'
      ? asWalk(walkByGroups(db, { ...input, order, walkRows, maxWalkRows }))
      : order === 'name' || order === 'email'
        ? walkPage(db, input, order, { maxWalkRows: walkBound(probed.sample, maxId, maxWalkRows), sortRows: walkBound(probed.sample, maxId, 0) })
        : null
  if (walked !== null) return { rows: listingRepo.usersInOrder(db, walked.ids), ...many, plan: walked.plan }
  if (filtered) {
    // The whole directory had many matches, the walk did not fill a page: the filter may hold few of them.
    const ids = probe()
    if (ids.length <= FEW) return few(ids)
  }
  if (request.deferSorted === true) return deferred
  // Here the probe of the list itself has found more than FEW.
  return everyMatchSorted(db, input, FEW)
}

/**
 * A page of every match sorted (in SQLite, by one read of them all). A first
 * page or a jump counts them in the same read, so its total is exact; a page
 * after a cursor knows only that more than `few` match.
 */
function everyMatchSorted(db: Database, input: SearchPageInput, few: number): SearchPage {
  const { request, after } = input
  if (after !== null) return { rows: sortedPage(db, input, null, undefined), total: few + 1, exact: false, plan: 'sorted' }
  const { rows, total } = listingRepo.countedPageOfMatches(db, matchPageQuery(input, null, request.position))
  const start = request.position === undefined ? undefined : Math.min(request.position, total)
  return { rows, total, exact: true, start, plan: 'sorted' }
}

/** Walk one class's index each when the filter holds at most this many classes (a status, a group's few). */
const MAX_WALKED_CLASSES = 4

/** A page's ids and how they were read: by a walk, or by the split of those that start with the term (startingSplit). */
interface Walked {
  ids: number[]
  plan: 'walk' | 'starting'
}

const asWalk = (ids: number[] | null): Walked | null => (ids === null ? null : { ids, plan: 'walk' })
const asSplit = (ids: number[] | null): Walked | null => (ids === null ? null : { ids, plan: 'starting' })

/** The first stretch of a walk of each class of a filter, as a share of WALK_ROWS: a term spread through the order fills the page in it. */
const FIRST_CLASS_STRETCH = 1 / 8

/**
 * A page by walking the order from the cursor: the whole order's index, or one
 * walk per class of the filter merged (a status filter holds a few per cent of
 * the directory: its own index reads no other users). Between a first stretch
 * and the rest, the matches may gather where the name starts with the term
 * (startingSplit). Both walks go on while sorting every match would read more
 * (`maxWalkRows` for the whole order's, `sortRows` for the classes'). Null
 * when some walk stopped at its budget before it had the page: the matches
 * gather elsewhere.
 */
function walkPage(db: Database, input: SearchPageInput, order: 'name' | 'email', bounds: { maxWalkRows: number; sortRows: number }): Walked | null {
  const { maxWalkRows, sortRows } = bounds
  const { request, source, term, after, wanted } = input
  const tuning = input.tuning ?? DEFAULT_TUNING
  const classes = source.filter.classes
  // The administrators in name order: their role's own index (role, name key, id), a few among millions.
  const role = order === 'name' ? roleOfFilter(source.filter) : undefined
  const base = {
    term,
    filter: source.filter,
    order,
    direction: request.direction,
    after: after === null ? undefined : { text: after.text, id: after.id },
    budget: tuning.walkRows,
    limit: wanted,
    ...(role === undefined ? {} : { role })
  }
  const split = (others: OthersFrom = 'filter'): Walked | null => (splits(term) ? asSplit(startingSplit(db, input, order, others)) : null)
  if (classes === null || classes.length > MAX_WALKED_CLASSES || role !== undefined) {
    const walk = walkOn(db, { query: base, found: [], read: 0, done: false }, tuning.walkRows)
    if (walk.done) return asWalk(walk.found)
    return split() ?? asWalk(walkToEnd(db, walk, maxWalkRows))
  }
  const first = Math.max(1, Math.ceil(tuning.walkRows * FIRST_CLASS_STRETCH))
  const filled = (result: ReturnType<typeof walkMatches>): boolean => result.rows.length >= wanted || result.reachedEnd
  let walks = classes.map((twoFactorClass) => {
    const query = { ...base, twoFactorClass }
    return { query, result: walkMatches(db, { ...query, budget: first }) }
  })
  // The classes whose walk has not filled its part of the page read `budget` rows more.
  const walkOnShort = (budget: number) =>
    walks.map(({ query, result }) => {
      if (filled(result)) return { query, result }
      const more = walkMatches(db, { ...query, after: result.lastRead, budget, limit: wanted - result.rows.length })
      return { query, result: { ...more, rows: [...result.rows, ...more.rows] } }
    })
  // The matches so far say the rest of the budget fills the page: walking on is likely cheaper than the split.
  const fillsOn = (result: ReturnType<typeof walkMatches>): boolean => filled(result) || result.rows.length * tuning.walkRows >= wanted * first
  if (!walks.every((walk) => filled(walk.result))) {
    // Early, only the cheap look: the others of the whole directory, few ("maria", "elena").
    const starting = walks.every((walk) => fillsOn(walk.result)) ? null : split('everyone')
    if (starting !== null) return starting
    const rest = tuning.walkRows - first
    if (rest > 0) walks = walkOnShort(rest)
    // Sorting every match would read more than walking on (sortRows, from the probe's estimate): the classes still
    // short walk on, sharing what is left ("sanchez" within pending: its 51st is about the 5,000th pending user of 10M).
    const short = walks.filter((walk) => !filled(walk.result)).length
    const onward = short === 0 ? 0 : Math.floor((sortRows - tuning.walkRows * walks.length) / short)
    if (onward > 0) walks = walkOnShort(onward)
    // The walk did not fill it: the others within the filter may still be few (as "ana" within pending at 10M).
    if (!walks.every((walk) => filled(walk.result))) return split('filter')
  }
  const found = walks.flatMap((walk) => walk.result.rows)
  if (walks.length > 1) found.sort((a, b) => compareKeys(a, b) * (request.direction === 'asc' ? 1 : -1))
  return asWalk(found.slice(0, wanted).map((row) => row.id))
}

/** 'admin' when the filter holds only administrators (the role index is worth walking for a few; users are nearly everyone). */
function roleOfFilter(filter: ClassFilter): Role | undefined {
  return filter.rows?.tests.includes('admin') === true ? 'admin' : undefined
}

/** Where a walk of the whole order's index stands: the matches so far, the last row read, how many rows. */
interface Walk {
  query: Parameters<typeof walkMatches>[1]
  found: number[]
  read: number
  /** The page (full, or the list ended), or null while it goes on. */
  done: boolean
}

/** One stretch of a walk: `budget` rows from where it stood. */
function walkOn(db: Database, walk: Walk, budget: number): Walk {
  const limit = walk.query.limit
  const result = walkMatches(db, { ...walk.query, budget, limit: limit - walk.found.length })
  const found = [...walk.found, ...result.rows.map((row) => row.id)]
  const done = found.length >= limit || result.reachedEnd
  return { query: { ...walk.query, after: result.lastRead ?? walk.query.after }, found, read: walk.read + budget, done }
}

/**
 * The rest of a walk, up to maxRows rows in all (walkBound): as many rows again as
 * the matches seen so far say the page needs (twice that), or twice as many
 * as so far when none were seen. Null when the page is still not full.
 */
function walkToEnd(db: Database, start: Walk, maxRows: number): number[] | null {
  let walk = start
  while (!walk.done) {
    const need = walk.query.limit - walk.found.length
    const more = walk.found.length === 0 ? walk.read * 2 : Math.ceil((walk.read * need * 2) / walk.found.length)
    const budget = Math.min(more, maxRows - walk.read)
    if (budget <= 0) return null
    walk = walkOn(db, walk, budget)
  }
  return walk.found
}

/** Whether a term's matches split into those whose name (or email) starts with it and the others: a substring without an @. */
function splits(term: SearchTerm): boolean {
  return term.kind === 'substring' && !term.text.includes('@')
}

/**
 * Where the others come from: the trigram index within the filter (it reads each other's user row
 * until it has FEW + 1 within the filter: 65 ms for "mar" within pending at 1M, where the others
 * are many), or of the whole directory from the index alone, kept when the filter holds them (cheap,
 * but it finds them few only when they are few in all).
 */
type OthersFrom = 'filter' | 'everyone'

/**
 * The matches gather where the name (or email) starts with the term ("maria"
 * among the M's): those are a range of the order's index, read in order; the
 * others, when few, are sorted and merged in. Null when the others are many.
 */
function startingSplit(db: Database, input: SearchPageInput, order: 'name' | 'email', from: OthersFrom): number[] | null {
  const { request, source, term, after, wanted } = input
  const split = { term, filter: source.filter, order }
  const { fewMatches } = input.tuning ?? DEFAULT_TUNING
  const filtered = source.filter.classes !== null || hasRowTests(source.filter)
  const found = otherMatches(db, from === 'everyone' ? { ...split, filter: ALL_CLASSES } : split, fewMatches + 1)
  if (found.length > fewMatches) return null
  const others = from === 'everyone' && filtered ? idsInFilter(db, found, source.filter) : found
  const resume = after === null ? undefined : { text: after.text, id: after.id }
  const starting = startingPage(db, { ...split, direction: request.direction, after: resume, limit: wanted })
  const rest = others.length === 0 ? [] : sortedPage(db, input, others, undefined)
  const keyOf = (user: UserRecord) => ({ id: user.id, k: order === 'name' ? user.nameKey : user.email })
  return [...starting, ...rest.map(keyOf)]
    .sort((a, b) => compareKeys(a, b) * (request.direction === 'asc' ? 1 : -1))
    .slice(0, wanted)
    .map((row) => row.id)
}

/** A sorted page of the matches: of the few ids in hand, or of every match read inside the page's statement. */
function sortedPage(db: Database, input: SearchPageInput, ids: readonly number[] | null, offset: number | undefined): UserRecord[] {
  return listingRepo.pageOfMatches(db, matchPageQuery(input, ids, offset))
}

function matchPageQuery(input: SearchPageInput, ids: readonly number[] | null, offset: number | undefined): listingRepo.MatchPageQuery {
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

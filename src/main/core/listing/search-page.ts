// A page of a search, in the chosen order, keyset-paged over every match (no
// cap), and its total: exact when it came for free, else pending (then
// countUsers counts it off the screens' thread: search-count.ts).
//
// Which way a page is read depends on what the first probe of the indexes
// (src/main/db/search-repo.ts) finds:
//   1. at most FEW_MATCHES users match: all of them are in hand, sorted in
//      SQLite, and the total is exact;
//   2. a prefix in name or email order: the order's own index is a range that
//      is already sorted (a seek), merged with the few others; a term of one
//      word in name order ("maria"), or in email order without a filter: the
//      users of the words that hold it, each a range already in that order,
//      merged (search-words.ts); a term with
//      separators ("elena.petrov"), before the probe: the users of its rarest
//      piece's words that hold the others' too (search-pieces.ts);
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
import { hasRowTests } from '../../db/row-filter-repo'
import { prefixPage, walkByGroups, type GroupWalkInput } from './search-groups'
import { asWalk, peekWalk, roleOfFilter, walkPage } from './search-walk'
import { walkMatches } from '../../db/search-page-repo'
import { matchPageQuery, sortedPage, type SearchPageInput } from './search-sorted'
import { MAX_WORDS, oneWordTerm, wordsPage } from './search-words'
import { wordsContaining } from '../../db/search-words-repo'
import type { TwoFactorClass } from '../../../shared/domain'
import { adminsPiecesPage, piecesPage, termPieceWords } from './search-pieces'
import { classWalkPage } from './search-class-walk'
import type { SearchPlan, SearchTuning } from './list-request'

export type { SearchPlan, SearchTuning } from './list-request'
export type { SearchPageInput } from './search-sorted'
export { FEW_MATCHES, fewMatches, matchesAreThin, WALK_CEILING, walkBound } from './search-probe'
import { FEW_MATCHES, isAddress, matchesAreThin, probeMatches, splitCostRows, walkBound } from './search-probe'

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
  // A term with separators in name order ("elena.petrov"): the users of its pieces' words, before any probe
  // (at 10M the probe of "elena.petrov" alone takes 6.6 ms: it tests the rows of three trigrams to find its 796).
  if (request.position === undefined && (input.tuning?.words ?? true) && wordsServe(source)) {
    const pieces = termPieceWords(db, input)
    const page = pieces === null ? null : piecesPage(db, input, pieces, { maxRows: input.tuning?.pieceRows })
    if (page !== null) {
      return { rows: listingRepo.usersInOrder(db, page.ids), ...totalOf(page), plan: 'pieces' }
    }
  }
  if (request.position === undefined) {
    const admins = adminsFirst(db, input)
    if (admins !== null) return admins
  }
  // A common one-word term within a status in name order ("mar" among the pending): each class's name index, before any probe.
  if (request.position === undefined && (input.tuning?.words ?? true)) {
    const walked = classWalkPage(db, input)
    if (walked !== null) return { rows: listingRepo.usersInOrder(db, walked.ids), ...totalOf(walked), plan: walked.handedOver ? 'class-walk-words' : 'class-walk' }
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
  // In email order only without a filter: within a status, each class's walk of its email index finds a common
  // term's page in a few hundred entries, where the words page would test a thousand or more of the words' users
  // (name order has the class walk first, search-class-walk.ts; email order has none).
  const oneWord = order === 'name' || (order === 'email' && source.filter.classes === null) ? oneWordTerm(db, input, ['name', 'email']) : null
  if (oneWord !== null && (input.tuning?.words ?? true) && wordsServe(source)) {
    const page = wordsPage(db, input, oneWord)
    if (page !== null) {
      return { rows: listingRepo.usersInOrder(db, page.ids), ...totalOf(page, many), plan: 'words' }
    }
  }
  const { walkRows, maxWalkRows } = input.tuning ?? DEFAULT_TUNING
  // So few match in all that sorting them reads less than a walk would: no walk, no split.
  const users = source.counts === undefined ? 0 : listingRepo.countOfClasses(source.counts, null)
  const maxId = listingRepo.maxUserId(db)
  const thin = matchesAreThin(probed.sample, users, maxId, wanted)
  // (A walk of the name or email order tries the split between its first stretch and the rest.)
  const walked = thin
    ? !filtered && (order === 'name' || order === 'email')
      ? peekWalk(db, input, order, input.tuning ?? DEFAULT_TUNING)
      : null
    : order === 'status' || order === 'role'
      ? asWalk(walkByGroups(db, { ...input, order, walkRows, maxWalkRows, ...groupWords(db, input) }))
      : order === 'name' || order === 'email'
        ? walkPage(db, input, order, input.tuning ?? DEFAULT_TUNING, {
            maxWalkRows: walkBound(probed.sample, maxId, maxWalkRows),
            sortRows: walkBound(probed.sample, maxId, 0),
            splitRows: splitCostRows(FEW, users, source.counts === undefined ? 0 : listingRepo.countOfClasses(source.counts, source.filter.classes))
          })
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

/** Rows of the administrators' own index a page within them reads before the probe (adminsFirst). */
export const ADMINS_FIRST_ROWS = 500

/** A page's total: exact when the way that read it knows it, else `unknown` (pending: countUsers counts it). */
function totalOf(page: { exactTotal: number | null }, unknown: { total: number; exact: false } = { total: 0, exact: false }): { total: number; exact: boolean } {
  return page.exactTotal === null ? unknown : { total: page.exactTotal, exact: true }
}

/**
 * A page within the administrators alone in name order, from their own index
 * (users_admins_by_name, 20,000 at 10M) before any probe: a prefix's range of
 * it, or its first ADMINS_FIRST_ROWS rows from the cursor tested for the term
 * (and up to three times as many more when the matches in them say the page is
 * near), which hold the page of a term spread through the names ("mar"). The probe
 * reads up to a thousand matches of them first (1.5-2 ms at 10M). Null when
 * the rows did not hold the page; the total is exact when every match was seen.
 */
function adminsFirst(db: Database, input: SearchPageInput): SearchPage | null {
  const { request, source, term, after, wanted } = input
  const tests = source.filter.rows?.tests ?? []
  if (request.sort !== 'name' || source.filter.classes !== null || tests.length !== 1 || tests[0] !== 'admin') return null
  // An address: the probe's one seek of the ends of the local parts finds it among everyone.
  if (isAddress(term)) return null
  const first = input.tuning?.adminRows ?? ADMINS_FIRST_ROWS
  const base = { term, filter: source.filter, order: 'name' as const, direction: request.direction, ...(after === null ? {} : { after: { text: after.text, id: after.id } }), limit: wanted }
  let ids: number[]
  let ended: boolean
  if (term.kind === 'prefix') {
    ids = prefixPage(db, { ...base, role: 'admin', term: { kind: 'prefix', text: term.text }, after: base.after }).map((row) => row.id)
    ended = ids.length < wanted
  } else {
    let walked = walkMatches(db, { ...base, role: 'admin', budget: first })
    ids = walked.rows.map((row) => row.id)
    // Matches so far that say the page is within four times as many rows: walk on as far as they say (half again).
    const found = ids.length
    if (found < wanted && !walked.reachedEnd && walked.lastRead !== undefined && found * 4 >= wanted) {
      const budget = Math.min(3 * first, Math.ceil((((wanted - found) * first) / found) * 1.5))
      walked = walkMatches(db, { ...base, role: 'admin', after: walked.lastRead, budget, limit: wanted - found })
      ids = [...ids, ...walked.rows.map((row) => row.id)]
    }
    ended = walked.reachedEnd
    if (ids.length < wanted && !ended) {
      // The matches gather elsewhere in the names ("maria" among the M's): the administrators tested for the term's words.
      const page = adminsPiecesPage(db, input)
      if (page === null) return null
      return { rows: listingRepo.usersInOrder(db, page.ids), ...totalOf(page), plan: 'pieces' }
    }
  }
  const total = after === null && ended ? { total: ids.length, exact: true } : { total: 0, exact: false }
  return { rows: listingRepo.usersInOrder(db, ids), ...total, plan: term.kind === 'prefix' ? 'ordered-prefix' : 'walk' }
}

/** The words of a one-word term for a page in status order (walkByGroups reads a status's users from them). */
function groupWords(db: Database, input: SearchPageInput): Pick<GroupWalkInput, 'words'> {
  if (input.request.sort !== 'status' || input.tuning?.words === false || hasRowTests(input.source.filter)) return {}
  const q = oneWordTerm(db, input, ['status'])
  const words = q === null ? null : wordsContaining(db, q, MAX_WORDS + 1)
  if (words === null || words.length > MAX_WORDS) return {}
  const { counts } = input.source
  const users = counts === undefined ? 0 : listingRepo.countOfClasses(counts, null)
  const serves = (classes: readonly TwoFactorClass[]): boolean =>
    counts !== undefined && users > 0 && listingRepo.countOfClasses(counts, classes) / users >= MIN_WORDS_SHARE
  return { words: { words: words.map((word) => word.word), serves } }
}

/**
 * A words page within a filter reads each word's users in name order until the
 * page holds `wanted` of the filter's: about wanted / share rows, each tested
 * with a seek (0.4 µs in the class index at 10M). From this share of the
 * directory on (51 of the pending 3 per cent: 1,800 rows, 1 ms), it is worth it.
 */
const MIN_WORDS_SHARE = 0.01

/**
 * Whether a words page can serve the filter: none, or classes that list
 * MIN_WORDS_SHARE of the directory or more. Not another row test (the
 * administrators, the locked: few, read from their own indexes).
 */
function wordsServe(source: SearchPageInput['source']): boolean {
  if (hasRowTests(source.filter)) return false
  if (source.filter.classes === null) return true
  const users = source.counts === undefined ? 0 : listingRepo.countOfClasses(source.counts, null)
  if (source.counts === undefined || users === 0) return false
  return listingRepo.countOfClasses(source.counts, source.filter.classes) / users >= MIN_WORDS_SHARE
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

// The first probe of a search (search-page.ts and search-count.ts ask the
// same): every match when there are at most a few, found cheaply; else, when
// the whole directory was read for it, its first matches, from which the page
// judges whether a walk of the order can pay.
import * as listingRepo from '../../db/listing-repo'
import type { ClassFilter, SearchTerm } from '../../db/listing-repo'
import type { Database } from '../../db/connection'
import { hasRowTests } from '../../db/row-filter-repo'
import { narrowMatches } from '../../db/search-page-repo'

/** A probe of the indexes reads at most this many matches (one more, to learn there are more): fewer are sorted whole. */
export const FEW_MATCHES = 1000

/**
 * Every match of a term within a filter when there are at most `few`, found
 * cheaply; null when there are more, or when finding out would cost more than
 * a probe should. The probe reads matches until it has few + 1: within a filter
 * that holds a few per cent of the directory that can mean many times as many
 * index rows. So a narrow filter (administrators, locked...) reads its own
 * partial index, and another filter first probes the whole directory (quick to
 * reach the bound when the matches are many): if those are few, so are the filter's.
 * The page (searchPage) and the count (countListedUsers) ask the same.
 */
export function fewMatches(db: Database, term: SearchTerm, filter: ClassFilter, few: number = FEW_MATCHES): number[] | null {
  return probeMatches(db, term, filter, few).few
}

/** What fewMatches found, and when there were more: the first few + 1 matches of the whole directory, as its probe read them (null if it was not read). */
export interface MatchProbe {
  few: number[] | null
  sample: number[] | null
}

export function probeMatches(db: Database, term: SearchTerm, filter: ClassFilter, few: number = FEW_MATCHES): MatchProbe {
  const filtered = filter.classes !== null || hasRowTests(filter)
  const inAll = (): number[] => listingRepo.findMatchingUserIds(db, term, listingRepo.ALL_CLASSES, few + 1)
  // An address is one short range of the index of local parts' ends, fewer rows to read than the users of a narrow
  // filter (the demo's 20,000 administrators at 10M): when the whole directory holds few matches, the filter's are among them.
  if (filtered && isAddress(term)) {
    const all = inAll()
    if (all.length <= few) return { few: listingRepo.idsInFilter(db, all, filter), sample: null }
  }
  const narrow = narrowMatches(db, term, filter, few + 1)
  if (narrow !== null && narrow.length <= few) return { few: narrow, sample: null }
  if (filtered) {
    const all = inAll()
    if (all.length > few) return { few: null, sample: all }
  }
  const ids = listingRepo.findMatchingUserIds(db, term, filter, few + 1)
  if (ids.length <= few) return { few: ids, sample: null }
  return { few: null, sample: filtered ? null : ids }
}

/** Walking an order's index reads a row in about this share of the time that sorting every match takes per match (measured at 10M). */
const WALK_TO_SORT_COST = 0.3

/**
 * About how many users match in all, judged from the probe's first matches
 * when the index gave them in id order (the trigram index does, and ids spread
 * through the directory): the last of them, at id L of at most M, says about
 * sample × M / L match. Null when the sample says nothing (none, or another
 * order: a domain's users, class by class).
 */
export function estimatedMatches(sample: readonly number[] | null, maxId: number): number | null {
  if (sample === null || sample.length === 0) return null
  for (let i = 1; i < sample.length; i++) if (sample[i]! <= sample[i - 1]!) return null
  return (sample.length * maxId) / Math.max(1, sample[sample.length - 1]!)
}

/**
 * Whether the matches are too few in all for a walk of the order to pay: a
 * walk that fills a page of `wanted` reads about wanted × N / E rows of N
 * users when E match, sorting them all reads E; so below
 * E = sqrt(wanted × N × WALK_TO_SORT_COST) sorting them is cheaper (E from
 * estimatedMatches).
 */
export function matchesAreThin(sample: readonly number[] | null, users: number, maxId: number, wanted: number): boolean {
  const estimate = estimatedMatches(sample, maxId)
  if (estimate === null || users === 0) return false
  return estimate < Math.sqrt(wanted * users * WALK_TO_SORT_COST)
}

/**
 * The most rows a walk tests, whatever the estimate: it runs on the thread that
 * answers the screens, where sorting every match runs in a background task. A
 * walk that gives up reads its last stretch once more, untested, to learn where
 * it stopped: about 45 ms in all at 10M (0.12 µs a row tested, 0.05 read again).
 */
export const WALK_CEILING = 256_000

/**
 * The rows a walk of the whole order may read before it gives up and every
 * match is sorted: at least `maxWalkRows`, and as many as sorting the E
 * matches the probe judged would cost (E / WALK_TO_SORT_COST rows), up to
 * `ceiling`. Matches that gather after a long stretch of others ("sanchez":
 * the 51st in name order is the 74,756th user of 10M) are then found by the
 * walk, 15 ms (after the LIKE first test), rather than by sorting 83,866 matches, 167 ms.
 */
export function walkBound(sample: readonly number[] | null, maxId: number, maxWalkRows: number, ceiling: number = WALK_CEILING): number {
  const estimate = estimatedMatches(sample, maxId)
  if (estimate === null) return maxWalkRows
  return Math.max(maxWalkRows, Math.min(ceiling, Math.floor(estimate / WALK_TO_SORT_COST)))
}

/** Reading another match's user row for its class costs about this many rows of a walk (1.3 against 0.17 µs at 10M). */
const OTHER_TO_WALK_COST = 8

/**
 * What the split of a filter's others would read, in rows of a walk: it reads
 * the whole directory's other matches until few + 1 are in the filter, about
 * (few + 1) × users / listed of them when the filter lists `listed` of the
 * `users`. 0 when the filter lists nobody.
 */
export function splitCostRows(few: number, users: number, listed: number): number {
  if (listed <= 0) return 0
  return Math.ceil((((few + 1) * users) / listed) * OTHER_TO_WALK_COST)
}

/** A term with an @ after a local part of three characters or more ("elena.petrov9@eu.example.com"): few local parts end with it. */
export function isAddress(term: SearchTerm): boolean {
  const at = term.text.indexOf('@')
  return term.kind === 'substring' && at >= 0 && [...term.text.slice(0, at)].length >= 3
}

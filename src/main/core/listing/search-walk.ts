// The ways a search page is read by walking the order's index (search-page.ts
// chooses them): one walk of the whole order's index, or one per class of a
// status filter merged, each going on while sorting every match would cost
// more; between them, the split of the matches into those whose name (or
// email) starts with the term, a range of the order's index, and the others,
// when few.
import type { UserRecord } from '../../db/users-repo'
import type { Database } from '../../db/connection'
import { ALL_CLASSES, hasRowTests } from '../../db/row-filter-repo'
import { otherMatches, startingPage, walkMatches } from '../../db/search-page-repo'
import { idsInFilter } from '../../db/search-repo'
import type { ClassFilter, SearchTerm } from '../../db/listing-repo'
import type { Role } from '../../../shared/domain'
import { compareKeys } from './search-groups'
import type { SearchTuning } from './list-request'
import { sortedPage, type SearchPageInput } from './search-sorted'

/** Walk one class's index each when the filter holds at most this many classes (a status, a group's few). */
const MAX_WALKED_CLASSES = 4

/** A page's ids and how they were read: by a walk, or by the split of those that start with the term (startingSplit). */
export interface Walked {
  ids: number[]
  plan: 'walk' | 'starting'
}

export const asWalk = (ids: number[] | null): Walked | null => (ids === null ? null : { ids, plan: 'walk' })
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
export function walkPage(db: Database, input: SearchPageInput, order: 'name' | 'email', tuning: SearchTuning, bounds: WalkBounds): Walked | null {
  const { maxWalkRows, sortRows, splitRows } = bounds
  const { request, source, term, after, wanted } = input
  const classes = source.filter.classes
  // The administrators in name order: their own partial index (name key, id, email...), a few among millions.
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
  const split = (others: OthersFrom = 'filter'): Walked | null => (splits(term) ? asSplit(startingSplit(db, input, order, others, tuning.fewMatches)) : null)
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
    // The classes still short walk on, sharing `upTo` rows in all (counted from the start of the walks).
    let used = tuning.walkRows * walks.length
    const walkOnTo = (upTo: number) => {
      const short = walks.filter((walk) => !filled(walk.result)).length
      const onward = short === 0 ? 0 : Math.floor((upTo - used) / short)
      if (onward <= 0) return
      walks = walkOnShort(onward)
      used += onward * short
    }
    // The cheaper first: as far as the split of the filter's others would read (splitRows: "sanchez" within pending,
    // whose 51st is about the 5,000th pending user of 10M, where the split reads 35,000 user rows); then the split
    // (the others within the filter may be few: a first name's); then on while sorting every match would read more.
    walkOnTo(Math.min(splitRows, sortRows))
    if (!walks.every((walk) => filled(walk.result))) {
      const starting = split('filter')
      if (starting !== null) return starting
      walkOnTo(sortRows)
      if (!walks.every((walk) => filled(walk.result))) return null
    }
  }
  const found = walks.flatMap((walk) => walk.result.rows)
  if (walks.length > 1) found.sort((a, b) => compareKeys(a, b) * (request.direction === 'asc' ? 1 : -1))
  return asWalk(found.slice(0, wanted).map((row) => row.id))
}

/** Rows a look at the order reads at most when the probe judged the matches too few for a walk (peekWalk). */
export const PEEK_WALK_ROWS = 16_384

/**
 * A page by a short walk of the whole order's index when the probe judged the
 * matches too few for a walk to pay (matchesAreThin): its first 1,001 matches
 * in id order say how many match in all only when they spread through the ids
 * as through the directory. "123" at 10M: numbered emails, their first 1,001
 * matches lie among the first 800,000 ids, so about 12,000 in all were judged,
 * where 66,325 match, one user in 150 of the name order; every match was
 * sorted (111 ms) for a page that a walk of 7,700 rows gives (about 1.5 ms).
 * One stretch of `walkRows`; when it held a match, on as far as they say
 * the page needs, within `maxRows`. Null when that did not fill the page: the
 * matches are then sorted, after at most about 3 ms more at 10M (0.2 µs a row).
 */
export function peekWalk(db: Database, input: SearchPageInput, order: 'name' | 'email', tuning: SearchTuning, maxRows = PEEK_WALK_ROWS): Walked | null {
  const { request, term, after, wanted } = input
  const query = { term, filter: input.source.filter, order, direction: request.direction, after: after === null ? undefined : { text: after.text, id: after.id }, budget: tuning.walkRows, limit: wanted }
  const walk = walkOn(db, { query, found: [], read: 0, done: false }, Math.min(tuning.walkRows, maxRows))
  if (walk.done) return asWalk(walk.found)
  return walk.found.length === 0 ? null : asWalk(walkToEnd(db, walk, maxRows))
}

/**
 * How far walks may go, in rows of the order's index: the whole order's walk
 * (`maxWalkRows`), the classes' walks in all while sorting every match would
 * read more (`sortRows`), and first, before the split of the filter's others,
 * as far as that split would read (`splitRows`, splitCostRows).
 */
export interface WalkBounds {
  maxWalkRows: number
  sortRows: number
  splitRows: number
}

/** 'admin' when the filter holds only administrators (the role index is worth walking for a few; users are nearly everyone). */
export function roleOfFilter(filter: ClassFilter): Role | undefined {
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
function startingSplit(db: Database, input: SearchPageInput, order: 'name' | 'email', from: OthersFrom, fewMatches: number): number[] | null {
  const { request, source, term, after, wanted } = input
  const split = { term, filter: source.filter, order }
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

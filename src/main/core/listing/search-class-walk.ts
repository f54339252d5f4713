// A one-word term within a status filter in name order ("mar", "sanchez" among
// the pending users), before any probe. The words page (search-words.ts) reads
// the term's users in name order and tests each for the filter's classes: at
// 10M every 35th of them is pending, so a page tests about 1,800 (1.8 ms,
// whatever the term). Each class's own name index (users_by_class_name: name
// key and email, so the test reads no user row until it matches) holds a match
// every few entries when the term is common ("mar": every 5th), or in runs
// (the demo's namesakes, a first name among its letter). So when the term's
// words say a page is within reach (classWalkPays), each class's index is
// walked from the cursor in stretches, each after a leap to the next user of
// the term's words (a seek of each word's range in user_words, in name order):
// the names between hold no match, whatever class they are in. While the walk
// finds matches more slowly than the words page would (its cost counted in
// entries and leaps, against the class's share of the directory), or at its
// bounds, it hands over: the words page goes on from where the walk stopped,
// so nothing it read is read again.
import type { Database } from '../../db/connection'
import { countOfClasses } from '../../db/listing-repo'
import { hasRowTests } from '../../db/row-filter-repo'
import { walkMatches } from '../../db/search-page-repo'
import { firstOfWords } from '../../db/search-pieces-repo'
import { wordsContaining, wordsPageIds } from '../../db/search-words-repo'
import type { TwoFactorClass } from '../../../shared/domain'
import { compareKeys } from './search-groups'
import type { SearchPageInput } from './search-sorted'
import { MAX_WORDS, oneWordTerm } from './search-words'

/**
 * Entries of a class's index read after each leap: about twice what a leap costs, in entries. An entry
 * costs about 0.3 µs to test, a leap about 8 µs a word (one seek of each word's range, merged): so a
 * term of one word ("sanchez") leaps after 256 entries, past a run of matches that ended, and one of 21
 * words ("mar") walks 1,024 before it leaps again.
 */
export function stretchOf(words: number): number {
  return Math.min(MAX_STRETCH, Math.max(STRETCH, STRETCH_PER_WORD * words))
}
export const STRETCH = 256
export const MAX_STRETCH = 1_024
const STRETCH_PER_WORD = 48
/** The most entries of one class's index a page reads (about 2.5 ms); beyond, the words page reads less. */
export const MAX_CLASS_WALK = 8_192
/** The most leaps of one class's walk. */
export const MAX_LEAPS = 32
/** At most this many classes walked (a status within a group or two). */
const MAX_CLASSES = 4

/** The page's ids in name order, its total when every class's walk reached the end from the start, and whether the words page went on. */
export interface ClassWalkPage {
  ids: number[]
  exactTotal: number | null
  handedOver: boolean
}

/** Whether a page is likely within the walks' bound: about `wanted` / termShare entries of each of `classes` indexes. */
export function classWalkPays(termShare: number, wanted: number, classes: number): boolean {
  return termShare > 0 && (wanted * classes) / termShare <= MAX_CLASS_WALK
}

/** What a walk costs, in µs (measured at 1M and 10M): an entry tested, a stretch's statements, a seek of a word's range. */
const ENTRY_US = 0.3
const STRETCH_US = 40
const LEAP_US_A_WORD = 8
/** A user of the words tested for the classes by the words page, in µs. */
const WORDS_USER_US = 1

type Found = { id: number; k: string }
type Place = { text: string; id: number }

/** A class's walk: its matches in order, and where it stopped when it handed over (undefined: a page, or the class's end). */
interface ClassWalk {
  rows: Found[]
  stoppedAt?: Place
}

/** The page by walking each class's name index with leaps (null: not a term and filter it serves). */
export function classWalkPage(db: Database, input: SearchPageInput): ClassWalkPage | null {
  const { request, source, wanted } = input
  const classes = source.filter.classes
  if (request.sort !== 'name' || classes === null || classes.length === 0 || classes.length > MAX_CLASSES) return null
  if (hasRowTests(source.filter) || source.filter.dueBy !== null || source.counts === undefined) return null
  const q = oneWordTerm(db, input)
  if (q === null) return null
  const everyone = countOfClasses(source.counts, null)
  const inClasses = countOfClasses(source.counts, classes)
  if (everyone === 0 || inClasses === 0) return null
  const found = wordsContaining(db, q, MAX_WORDS + 1)
  if (found.length === 0 || found.length > MAX_WORDS) return null
  // A user with two of the words counts twice: the share is at most this.
  const termUsers = Math.min(everyone, found.reduce((sum, word) => sum + word.users, 0))
  if (!classWalkPays(termUsers / everyone, wanted, classes.length)) return null
  // At least one entry: a stretch of none would read as the end of the class's index.
  const maxRows = Math.max(1, input.tuning?.classWalkRows ?? MAX_CLASS_WALK)
  const words = found.map((word) => word.word)
  // The words page finds a match of the classes in about 1 / share of its users.
  const wordsYield = inClasses / everyone / WORDS_USER_US
  const walks = classes.map((twoFactorClass) => walkClass(db, input, twoFactorClass, words, { maxRows, wordsYield }))
  const sign = request.direction === 'asc' ? 1 : -1
  const inOrder = (rows: Found[]) => rows.sort((a, b) => sign * compareKeys(a, b))
  const stops = walks.flatMap((walk) => (walk.stoppedAt === undefined ? [] : [{ k: walk.stoppedAt.text, id: walk.stoppedAt.id }]))
  if (stops.length === 0) {
    const all = inOrder(walks.flatMap((walk) => walk.rows))
    // Every class's walk reached its end (none filled a page): from the first page, all the matches are in hand.
    const ended = walks.every((walk) => walk.rows.length < wanted)
    return { ids: all.slice(0, wanted).map((row) => row.id), exactTotal: input.after === null && ended ? all.length : null, handedOver: false }
  }
  // Every walk is exact up to the earliest place one of them stopped: the words page goes on from there.
  const until = inOrder(stops)[0]!
  const kept = inOrder(walks.flatMap((walk) => walk.rows).filter((row) => sign * compareKeys(row, until) <= 0)).slice(0, wanted)
  if (kept.length >= wanted) return { ids: kept.map((row) => row.id), exactTotal: null, handedOver: false }
  const rest = wordsPageIds(db, { words, filter: source.filter, direction: request.direction, after: { text: until.k, id: until.id }, limit: wanted - kept.length })
  return { ids: [...kept.map((row) => row.id), ...rest], exactTotal: null, handedOver: true }
}

/**
 * One class's matches from the cursor, up to a page (fewer: its index ended), each stretch after a leap to
 * the next user of the words. It stops, where it has read to, when it finds matches more slowly than the
 * words page would (`wordsYield`, matches a µs), or at its bounds.
 */
function walkClass(db: Database, input: SearchPageInput, twoFactorClass: TwoFactorClass, words: readonly string[], bounds: { maxRows: number; wordsYield: number }): ClassWalk {
  const { request, term, after, wanted, source } = input
  const { direction } = request
  const rows: Found[] = []
  let from: Place | undefined = after === null ? undefined : { text: after.text, id: after.id }
  const stretch = stretchOf(words.length)
  const leapUs = LEAP_US_A_WORD * words.length
  let read = 0
  let spentUs = 0
  for (let leaps = 0; ; leaps++) {
    const next = firstOfWords(db, words, direction, from === undefined ? undefined : { ...from, inclusive: false })
    if (next === null) return { rows }
    // Walked from just before it (the walk's cursor is exclusive).
    const before = { text: next.text, id: direction === 'asc' ? next.id - 1 : next.id + 1 }
    const budget = Math.min(stretch, bounds.maxRows - read)
    const result = walkMatches(db, { term, filter: source.filter, order: 'name', direction, after: before, budget, limit: wanted - rows.length, twoFactorClass })
    rows.push(...result.rows)
    read += budget
    spentUs += leapUs + STRETCH_US + budget * ENTRY_US
    if (rows.length >= wanted || result.reachedEnd || result.lastRead === undefined) return { rows }
    from = result.lastRead
    if (leaps + 1 >= MAX_LEAPS || read >= bounds.maxRows || rows.length / spentUs < bounds.wordsYield) return { rows, stoppedAt: from }
  }
}

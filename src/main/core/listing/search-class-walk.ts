// A one-word term within a status filter in name order ("mar", "sanchez" among
// the pending users), before any probe. The words page (search-words.ts) reads
// the term's users in name order and tests each for the filter's classes: at
// 10M every 35th of them is pending, so a page tests about 1,800 (1.8 ms,
// whatever the term). Each class's own name index (users_by_class_name: name
// key and email, so the test reads no user row until it matches) holds a match
// every few entries when the term is common among everyone ("mar": every 5th),
// at about 0.17 µs an entry. So when the term's words say a page is within
// MAX_CLASS_WALK entries of each class (classWalkPays), each class's index is
// walked from the cursor in stretches; before each, the walk leaps to the next
// user of the term's words (a seek of each word's range in user_words, in name
// order): no match lies between, whatever class it is in. Matches that gather
// (the demo's names come in runs of namesakes, a first name among its letter)
// then cost a leap, not a walk through the names before them. A walk that has
// not filled its page within its bounds gives up, and the page goes the other
// ways.
import type { Database } from '../../db/connection'
import { countOfClasses } from '../../db/listing-repo'
import { hasRowTests } from '../../db/row-filter-repo'
import { walkMatches } from '../../db/search-page-repo'
import { firstOfWords } from '../../db/search-pieces-repo'
import { wordsContaining } from '../../db/search-words-repo'
import type { TwoFactorClass } from '../../../shared/domain'
import { compareKeys } from './search-groups'
import type { SearchPageInput } from './search-sorted'
import { MAX_WORDS, oneWordTerm } from './search-words'

/** Entries of a class's index read after each leap. */
export const STRETCH = 256
/** The most entries of one class's index a page reads (about 1.4 ms); beyond, the words page reads less. */
export const MAX_CLASS_WALK = 8_192
/** The most leaps of one class's walk. */
export const MAX_LEAPS = 8
/** At most this many classes walked (a status within a group or two). */
const MAX_CLASSES = 4

/** The page's ids in name order, and its total when every class's walk reached the end from the start. */
export interface ClassWalkPage {
  ids: number[]
  exactTotal: number | null
}

/** Whether a page is likely within the walks' bound: about `wanted` / termShare entries of each of `classes` indexes. */
export function classWalkPays(termShare: number, wanted: number, classes: number, maxRows: number = MAX_CLASS_WALK): boolean {
  return termShare > 0 && (wanted * classes) / termShare <= maxRows
}

type Found = { id: number; k: string }

/** The page by walking each class's name index with leaps (null: not a term and filter it serves, or the walks gave up). */
export function classWalkPage(db: Database, input: SearchPageInput): ClassWalkPage | null {
  const { request, source, wanted } = input
  const classes = source.filter.classes
  if (request.sort !== 'name' || classes === null || classes.length === 0 || classes.length > MAX_CLASSES) return null
  if (hasRowTests(source.filter) || source.filter.dueBy !== null || source.counts === undefined) return null
  const q = oneWordTerm(db, input)
  if (q === null) return null
  const everyone = countOfClasses(source.counts, null)
  if (everyone === 0 || countOfClasses(source.counts, classes) === 0) return null
  const words = wordsContaining(db, q, MAX_WORDS + 1)
  if (words.length === 0 || words.length > MAX_WORDS) return null
  // A user with two of the words counts twice: the share is at most this.
  const termUsers = Math.min(everyone, words.reduce((sum, word) => sum + word.users, 0))
  const maxRows = input.tuning?.classWalkRows ?? MAX_CLASS_WALK
  if (!classWalkPays(termUsers / everyone, wanted, classes.length, maxRows)) return null
  const found: Found[] = []
  let everyEnd = true
  for (const twoFactorClass of classes) {
    const walked = walkClass(db, input, twoFactorClass, words.map((word) => word.word), maxRows)
    if (walked === null) return null
    if (walked.length >= wanted) everyEnd = false
    found.push(...walked)
  }
  const sign = request.direction === 'asc' ? 1 : -1
  found.sort((a, b) => sign * compareKeys(a, b))
  const ids = found.slice(0, wanted).map((row) => row.id)
  return { ids, exactTotal: input.after === null && everyEnd ? ids.length : null }
}

/**
 * One class's matches from the cursor, up to a page (fewer: its index ended), or null when the walk gave up.
 * Each stretch begins with a leap to the next user of the words (the names between hold no match); after a
 * stretch that found some, the next is twice as long (matches spread through the order), else STRETCH again.
 */
function walkClass(db: Database, input: SearchPageInput, twoFactorClass: TwoFactorClass, words: readonly string[], maxRows: number): Found[] | null {
  const { request, term, after, wanted, source } = input
  const { direction } = request
  const mine: Found[] = []
  let from: { text: string; id: number } | undefined = after === null ? undefined : { text: after.text, id: after.id }
  let stretch = STRETCH
  let read = 0
  for (let leaps = 0; leaps < MAX_LEAPS && read < maxRows; leaps++) {
    const next = firstOfWords(db, words, direction, from === undefined ? undefined : { ...from, inclusive: false })
    if (next === null) return mine
    // Walked from just before it (the walk's cursor is exclusive).
    const before = { text: next.text, id: direction === 'asc' ? next.id - 1 : next.id + 1 }
    const budget = Math.min(stretch, maxRows - read)
    const result = walkMatches(db, { term, filter: source.filter, order: 'name', direction, after: before, budget, limit: wanted - mine.length, twoFactorClass })
    mine.push(...result.rows)
    read += budget
    if (mine.length >= wanted || result.reachedEnd || result.lastRead === undefined) return mine
    from = result.lastRead
    stretch = result.rows.length > 0 ? stretch * 2 : STRETCH
  }
  return null
}

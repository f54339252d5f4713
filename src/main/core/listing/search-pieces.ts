// A page of a search for a term with separators in name order ("elena.petrov",
// "petrov14", "maria.s"): every user it matches holds a word of each of its
// pieces (db/name-words.ts termPieces: "petrov" of "elena.petrov" starts a
// word, "elena" ends one), and the users of those words are ranges of
// user_words already in name order. So the page reads the piece with the
// fewest users in name order, in batches, keeps those that hold the other
// pieces and pass the term's own test, and when a batch holds no user of the
// other pieces leaps to where the next one can be (the first user of each
// other piece from there: a seek). The matches of "elena.petrov" are the Elena
// Petrovs, one stretch of the order: a few batches and a leap find them.
//
// It reads at most MAX_PIECE_ROWS users of the driving piece; a page that has
// not filled by then is read the other ways (null), as is a term none of whose
// pieces an index can find, or one a domain holds.
import type { Database } from '../../db/connection'
import { termPieces } from '../../db/name-words'
import { firstOfWords, piecesBatchEnd, piecesHeld, piecesMatches, wordsOfPiece, type PiecesBatchQuery, type PiecesPlace } from '../../db/search-pieces-repo'
import { asciiLower } from '../../db/search-repo'
import { someDomainContains, wordsContaining, type SearchWord } from '../../db/search-words-repo'
import { MAX_WORDS, oneWordTerm, type WordsPage } from './search-words'
import type { SearchPageInput } from './search-sorted'

/** Users of the driving piece a page reads at most before the other ways read it instead. */
export const MAX_PIECE_ROWS = 4096
/**
 * Administrators a page within them reads at most (adminsPiecesPage): enough
 * for a stretch of a first name and the leap to it, while a term spread thinly
 * through them ("sanchez": one administrator in 120) gives up soon.
 */
export const MAX_ADMIN_ROWS = 1024
/**
 * Other pieces each user read is tested for, at most: the rarest after the
 * driver's. A term of many pieces (a pasted line of 84) would otherwise test
 * 84 pieces' words on every user read, seconds for a page.
 */
export const MAX_OTHER_PIECES = 2
/** Users of a batch holding every piece's words, none of them a match, that end the page (piecesPage). */
const HELD_WITHOUT_MATCH = 32
/** The first batch, and the bounds of the next ones (sized by how many of the last batch matched). */
const FIRST_BATCH = 64
const FIRST_ALONE_BATCH = 256
const MAX_BATCH = 1024

/** The words of each piece of the term that an index can find, fewest users first; null when the page cannot be read so. */
export function termPieceWords(db: Database, input: SearchPageInput): SearchWord[][] | null {
  if (input.term.kind !== 'substring' || input.request.sort !== 'name') return null
  const q = asciiLower(input.term.text)
  // A term with an @ is read from the ends of the local parts (an address: one seek), and one that a domain holds
  // may lie there, where no word is.
  if (q.includes('@')) return null
  const pieces = termPieces(q)
  if (pieces.length === 0 || someDomainContains(db, q)) return null
  const found: SearchWord[][] = []
  for (const piece of pieces) {
    const words = wordsOfPiece(db, piece, MAX_WORDS + 1)
    // A piece no word allows: no user can match.
    if (words.length === 0) return [[]]
    // A piece of too many words is left out: the term's own test still applies to every user read.
    if (words.length <= MAX_WORDS) found.push(words)
  }
  if (found.length === 0) return null
  const users = (words: SearchWord[]): number => words.reduce((sum, word) => sum + word.users, 0)
  return found.sort((a, b) => users(a) - users(b))
}

/**
 * The piece whose users are read (the first: the fewest users; or the
 * administrators) and the pieces each of them is tested for: the rarest others
 * only, as each is a test of every user read and the term's own test keeps
 * exactly the matches.
 */
export function drivingPieces(words: readonly (readonly string[])[], admins: boolean): { driver: readonly string[] | 'admins' | undefined; rest: (readonly string[])[] } {
  return admins ? { driver: 'admins', rest: words.slice(0, MAX_OTHER_PIECES) } : { driver: words[0], rest: words.slice(1, 1 + MAX_OTHER_PIECES) }
}

export interface PiecesOptions {
  /** Users of the driving piece read at most (MAX_PIECE_ROWS). */
  maxRows?: number
  /**
   * Read the administrators (their own index, 20,000 at 10M) and test each for
   * every piece: fewer than the users of a first name, and the page leaps from
   * the administrators to the stretch of the name ("maria": the Marias).
   */
  admins?: boolean
}

/** The page (ids in order, and the total when every match was seen), or null when it did not fill within MAX_PIECE_ROWS. */
export function piecesPage(db: Database, input: SearchPageInput, pieces: SearchWord[][], options: PiecesOptions = {}): WordsPage | null {
  const { request, source, term, after, wanted } = input
  // A whole number: a batch's size is written into its SQL (mergeLimit).
  const maxRows = Math.max(1, Math.floor(options.maxRows ?? MAX_PIECE_ROWS))
  const words = pieces.map((piece) => piece.map((word) => word.word))
  if (words.some((piece) => piece.length === 0)) return { ids: [], exactTotal: after === null ? 0 : null }
  const { driver, rest } = drivingPieces(words, options.admins === true)
  if (driver === undefined) return null
  const direction = request.direction
  let from: PiecesPlace | undefined = after === null ? undefined : { text: after.text, id: after.id, inclusive: false }
  const ids: number[] = []
  let matches = 0
  let read = 0
  // One piece alone ("petrov14", "zz.petrov"): a larger first batch, so that a term in one user of forty finds some
  // there, and one in none gives up after it (one match more than were seen would still need too many rows).
  let limit = rest.length === 0 ? FIRST_ALONE_BATCH : FIRST_BATCH
  const leapOver = driver === 'admins' ? rest : [driver, ...rest]
  if (rest.length > 0) {
    // First to where a user holds every piece (the Elena Petrovs of "elena.petrov"): a few seeks, where a batch of
    // users without them would be tested for nothing ("e.s" at 10M: 0.28 ms against 0.6).
    const first = leapToEvery(db, leapOver, direction, from)
    if (first === null) return { ids, exactTotal: after === null ? 0 : null }
    from = first
  }
  while (read < maxRows) {
    limit = Math.min(limit, maxRows - read)
    const batch: PiecesBatchQuery = { driver, others: rest, term, filter: source.filter, direction, ...(from === undefined ? {} : { from }), limit }
    // The matches the page still needs: the batch is read no further once they are found.
    const need = wanted - ids.length
    const found = piecesMatches(db, batch, need)
    const matched = found.length
    for (const [, id] of found) ids.push(id)
    matches += matched
    // A later page's total is never exact: where the batch ends matters only to go on, or to a first page's total.
    if (matched === need && after !== null) return { ids, exactTotal: null }
    const end = piecesBatchEnd(db, batch)
    read += limit
    if (matched === need) {
      // Every match from the first is in this batch when the driver's ranges end within it: the total is exact.
      return { ids, exactTotal: end === null ? matches - matched + piecesMatches(db, batch).length : null }
    }
    if (end === null) return { ids, exactTotal: after === null ? matches : null }
    from = end
    // Users of the batch that hold every other piece's words (some do when one matched).
    const held = rest.length === 0 || matched > 0 ? limit : piecesHeld(db, batch, HELD_WITHOUT_MATCH)
    if (held === 0) {
      // No user of the batch holds the other pieces: the next match is at or after the first user from here that holds them all.
      const next = leapToEvery(db, leapOver, direction, from)
      if (next === null) return { ids, exactTotal: after === null ? matches : null }
      from = next
      // What the last batch matched says nothing of where the leap landed.
      limit = FIRST_BATCH
      continue
    }
    // Many users that hold every piece's words and none with the term ("petrov.elena": the Elena Petrovs): the pieces
    // are there in another order or apart, the term itself is rare, and the probe of the trigram index finds it at once.
    if (rest.length > 0 && matched === 0 && held >= HELD_WITHOUT_MATCH) return null
    const rate = matched / limit
    // Matches this thin say the page lies beyond the bound (taking one more than were seen): give up now, not at the bound.
    if (read + (wanted - ids.length) / (Math.max(matched, 1) / limit) > maxRows) return null
    // A power of two: each size is a statement of its own (the merge's LIMIT is in its text: mergeLimit).
    limit = Math.min(MAX_BATCH, powerOfTwoAtLeast(Math.max(FIRST_BATCH, Math.ceil(((wanted - ids.length) / Math.max(rate, 1 / MAX_BATCH)) * 1.1))))
  }
  return null
}

function powerOfTwoAtLeast(count: number): number {
  let power = 1
  while (power < count) power *= 2
  return power
}

/** Rounds of leaps (leapToEvery) before a batch is read from where they got to. */
const MAX_LEAP_ROUNDS = 16

/**
 * The first place from `from` (the start: undefined) where a user holds a word of every piece, or
 * near it: each piece in turn leaps to its first user from where the last one
 * landed (a seek of each of its words' ranges), until a round moves none of
 * them (that user holds them all) or after MAX_LEAP_ROUNDS. No user passed over
 * holds every piece, so none is a match. "e.s": the users of the words that
 * end with "e" and of those that start with "s" alternate through each first
 * name (Ada Lee, Ada Sánchez, Ada White...) until Alice Sánchez, who has both:
 * about three rounds a first name, where a batch of 64 with its tests took
 * about 0.7 ms a first name. Null past the last user of a piece.
 */
export function leapToEvery(db: Database, pieces: readonly (readonly string[])[], direction: 'asc' | 'desc', from: PiecesPlace | undefined): PiecesPlace | null {
  let at = from
  for (let round = 0; round < MAX_LEAP_ROUNDS; round++) {
    let moved = false
    for (const words of pieces) {
      const next = firstOfWords(db, words, direction, at)
      if (next === null) return null
      moved ||= at === undefined || !at.inclusive || next.text !== at.text || next.id !== at.id
      at = next
    }
    if (!moved) break
  }
  return at ?? null
}

/**
 * A page within the administrators alone (search-page.ts asks it when the
 * first rows of their index did not hold the page): the words of a one-word
 * term, or of each piece of a term with separators, tested on each
 * administrator read, leaping to where those words' users are. Null when the
 * term has no words to test or the page did not fill.
 */
export function adminsPiecesPage(db: Database, input: SearchPageInput): WordsPage | null {
  if (input.tuning?.words === false) return null
  const one = oneWordTerm(db, input)
  const words = one === null ? null : wordsContaining(db, one, MAX_WORDS + 1)
  const pieces = one === null ? termPieceWords(db, input) : words !== null && words.length <= MAX_WORDS ? [words] : null
  return pieces === null ? null : piecesPage(db, input, pieces, { admins: true, maxRows: input.tuning?.pieceRows ?? MAX_ADMIN_ROWS })
}

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
import { firstOfWords, piecesBatch, wordsOfPiece, type PiecesPlace } from '../../db/search-pieces-repo'
import { asciiLower } from '../../db/search-repo'
import { someDomainContains, type SearchWord } from '../../db/search-words-repo'
import { MAX_WORDS, type WordsPage } from './search-words'
import type { SearchPageInput } from './search-sorted'

/** Users of the driving piece a page reads at most before the other ways read it instead. */
export const MAX_PIECE_ROWS = 4096
/** The first batch, and the bounds of the next ones (sized by how many of the last batch matched). */
const FIRST_BATCH = 64
const MAX_BATCH = 1024

/** The words of each piece of the term that an index can find, fewest users first; null when the page cannot be read so. */
export function termPieceWords(db: Database, input: SearchPageInput): SearchWord[][] | null {
  if (input.term.kind !== 'substring' || input.request.sort !== 'name') return null
  const q = asciiLower(input.term.text)
  const pieces = termPieces(q)
  // Without an @ the term may lie in a domain, where no word is.
  if (pieces.length === 0 || (!q.includes('@') && someDomainContains(db, q))) return null
  const found: SearchWord[][] = []
  for (const piece of pieces) {
    const words = wordsOfPiece(db, piece, MAX_WORDS + 1)
    // A piece no word allows: no user can match.
    if (words !== null && words.length === 0) return [[]]
    if (words !== null && words.length <= MAX_WORDS) found.push(words)
  }
  if (found.length === 0) return null
  const users = (words: SearchWord[]): number => words.reduce((sum, word) => sum + word.users, 0)
  return found.sort((a, b) => users(a) - users(b))
}

/** The page (ids in order, and the total when every match was seen), or null when it did not fill within MAX_PIECE_ROWS. */
export function piecesPage(db: Database, input: SearchPageInput, pieces: SearchWord[][], maxRows: number = MAX_PIECE_ROWS): WordsPage | null {
  const { request, source, term, after, wanted } = input
  const [driver, ...rest] = pieces.map((words) => words.map((word) => word.word))
  if (driver === undefined || driver.length === 0) return { ids: [], exactTotal: after === null ? 0 : null }
  const direction = request.direction
  let from: PiecesPlace | undefined = after === null ? undefined : { text: after.text, id: after.id, inclusive: false }
  const ids: number[] = []
  let matches = 0
  let read = 0
  let limit = FIRST_BATCH
  while (read < maxRows) {
    limit = Math.min(limit, maxRows - read)
    const rows = piecesBatch(db, { driver, others: rest, term, filter: source.filter, direction, ...(from === undefined ? {} : { from }), limit })
    read += rows.length
    let held = 0
    let matched = 0
    for (const [, id, state] of rows) {
      if (state > 0) held++
      if (state !== 2) continue
      matched++
      if (ids.length < wanted) ids.push(id)
    }
    matches += matched
    const exhausted = rows.length < limit
    // Every match from the first was read when the driver's ranges ended: the total is exact.
    if (ids.length >= wanted || exhausted) return { ids, exactTotal: after === null && exhausted ? matches : null }
    const last = rows[rows.length - 1]!
    from = { text: last[0], id: last[1], inclusive: false }
    if (held === 0) {
      // No user of the batch holds the other pieces: the next match is at or after the first user of each from here.
      for (const words of rest) {
        const next = firstOfWords(db, words, direction, from)
        if (next === null) return { ids, exactTotal: after === null ? matches : null }
        from = next
      }
      // What the last batch matched says nothing of where the leap landed.
      limit = FIRST_BATCH
      continue
    }
    const rate = matched / rows.length
    limit = Math.min(MAX_BATCH, Math.max(FIRST_BATCH, Math.ceil(((wanted - ids.length) / Math.max(rate, 1 / MAX_BATCH)) * 1.25)))
  }
  return null
}

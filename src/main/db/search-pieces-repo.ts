// SQL of a search for a term with separators ("elena.petrov", "petrov14") in
// name order (src/main/core/listing/search-pieces.ts): the words each piece of
// the term allows, a batch of one piece's users in name order marked by whether
// they hold the other pieces' words too and pass the term's own test, and the
// first user of a piece from a place in the order (to leap over users that
// cannot match). All of it reads user_words (migration 20) by its key.
import type { TermPiece } from './name-words'
import type { BoundStatement } from './order-sql'
import { classFilterSql, hasRowTests, type ClassFilter } from './row-filter-repo'
import { keep, KEY_NAME, matchSql, maybeMatchSql, phrase, prefixEnd, type SearchTerm } from './search-repo'
import type { SearchWord } from './search-words-repo'
import { wordsKeyset } from './search-words-repo'
import type { Database } from './sqlite'
import { statement } from './statements'

/**
 * Up to `limit` of the distinct words a piece allows (termPieces): the word
 * itself, the words that start with it (a range of the words' index), or those
 * that end with it (from the words' trigram index, so three characters or
 * more). Null when the piece is an end shorter than that: no index finds them.
 */
export function wordsOfPiece(db: Database, piece: TermPiece, limit: number): SearchWord[] | null {
  if (piece.kind === 'word') return statement(db, 'SELECT word, users FROM search_words WHERE word = @word').all({ word: piece.text }) as SearchWord[]
  if (piece.kind === 'start') {
    const sql = 'SELECT word, users FROM search_words WHERE word >= @low AND word < @high ORDER BY word LIMIT @limit'
    return statement(db, sql).all({ low: piece.text, high: prefixEnd(piece.text, false), limit }) as SearchWord[]
  }
  if ([...piece.text].length < 3) return null
  const sql = `SELECT w.word, w.users FROM words_search f CROSS JOIN search_words w ON w.id = f.rowid
    WHERE words_search MATCH @match AND substr(w.word, -length(@end)) = @end LIMIT @limit`
  return statement(db, sql).all({ match: phrase(piece.text), end: piece.text, limit }) as SearchWord[]
}

/** Where a batch starts: after or from a user in name order. */
export interface PiecesPlace {
  text: string
  id: number
  inclusive: boolean
}

export interface PiecesBatchQuery {
  /** The words of the piece whose users are read (the one with the fewest), or the administrators (their own index). */
  driver: readonly string[] | 'admins'
  /** The words of each other piece: a user must hold one word of each. */
  others: readonly (readonly string[])[]
  term: SearchTerm
  filter: ClassFilter
  direction: 'asc' | 'desc'
  from?: PiecesPlace
  limit: number
}

/** A user of a batch: its place in the order, and 0 (lacks another piece), 1 (fails the term or the filter) or 2 (a match). */
export type PiecesRow = [text: string, id: number, state: 0 | 1 | 2]

/**
 * The ranges of user_words of some words from a place, merged in name order (a
 * compound SELECT: MERGE (UNION), no sort), or the administrators' own index
 * (name key, id, email...) from there.
 */
function mergedRanges(words: readonly string[] | 'admins', columns: string, keyset: string, dir: string): string {
  if (words === 'admins') {
    return `SELECT w.name_key, w.id${columns} FROM users w INDEXED BY users_admins_by_name WHERE w.role = 'admin' ${keyset} ORDER BY 1 ${dir}, 2 ${dir} LIMIT @limit`
  }
  const arms = words.map((_, i) => `SELECT w.name_key, w.id${columns} FROM user_words w WHERE w.word = @word${i} ${keyset}`)
  return `${arms.join(' UNION ')} ORDER BY 1 ${dir}, 2 ${dir} LIMIT @limit`
}

/** Params of a place (wordsKeyset's) and of the words. */
function placeParams(words: readonly string[] | 'admins', from: PiecesPlace | undefined, params: Record<string, unknown>): Record<string, unknown> {
  if (words !== 'admins') words.forEach((word, i) => (params[`word${i}`] = word))
  if (from !== undefined) Object.assign(params, { afterText: from.text, afterId: from.id })
  return params
}

/**
 * A batch of the driver's users in name order from the place, each with its
 * state: whether it holds a word of every other piece (a seek of the key of
 * user_words per word: the word, this user's name key and id) and then whether
 * it passes the term's test (what the term means, as every other way reads it)
 * and the filter: a seek of the same name key and id in users_by_name_key, or
 * users_by_class_name for classes, or users_admins_by_name for the
 * administrators (each holds the email), or the user's row for another
 * filter. The state is the same for a user in two of the driver's ranges, so
 * UNION still keeps that user once.
 */
export function piecesBatchStatement(query: PiecesBatchQuery): BoundStatement {
  const dir = query.direction === 'asc' ? 'ASC' : 'DESC'
  const keyset = query.from === undefined ? '' : wordsKeyset(query.direction, query.from.inclusive)
  // The words as parameters, not a json_each list: a list subquery would be built again in each arm of the merge.
  const holds = query.others.map(
    (words, i) => `EXISTS (SELECT 1 FROM user_words x WHERE x.word IN (${words.map((_, j) => `@other${i}w${j}`).join(', ')}) AND x.name_key = w.name_key AND x.id = w.id)`
  )
  const { filter } = query
  const classesOnly = filter.classes !== null && !hasRowTests(filter) && filter.dueBy === null
  const tests = filter.rows?.tests ?? []
  const adminsOnly = filter.classes === null && tests.length > 0 && tests.every((test) => test === 'admin')
  const indexed = filter.classes === null ? !hasRowTests(filter) || adminsOnly : classesOnly
  // Read from an index that holds the name key (which ends with the name) and the email, not the user's row.
  const cheap = maybeMatchSql(query.term, indexed ? 'u.name_key' : 'u.name', 'u.email')
  const exact = matchSql(query.term, indexed ? KEY_NAME : 'u.name')
  const tested = indexed ? { sql: '', params: {} } : classFilterSql(filter)
  const seek = adminsOnly
    ? "users u INDEXED BY users_admins_by_name WHERE u.role = 'admin' AND u.name_key = w.name_key AND u.id = w.id"
    : filter.classes === null && indexed
      ? 'users u INDEXED BY users_by_name_key WHERE u.name_key = w.name_key AND u.id = w.id'
      : indexed
        ? 'users u INDEXED BY users_by_class_name WHERE u.tfa_class IN (SELECT value FROM json_each(@classes)) AND u.name_key = w.name_key AND u.id = w.id'
        : 'users u WHERE u.id = w.id'
  const passes = `EXISTS (SELECT 1 FROM ${seek} ${cheap.sql} AND ${exact.sql} ${tested.sql})`
  const state = holds.length === 0 ? `, CASE WHEN ${passes} THEN 2 ELSE 1 END` : `, CASE WHEN NOT (${holds.join(' AND ')}) THEN 0 WHEN ${passes} THEN 2 ELSE 1 END`
  const sql = mergedRanges(query.driver, state, keyset, dir)
  const params: Record<string, unknown> = { ...cheap.params, ...exact.params, ...tested.params, limit: query.limit }
  if (indexed && filter.classes !== null) params.classes = JSON.stringify(filter.classes)
  query.others.forEach((words, i) => words.forEach((word, j) => (params[`other${i}w${j}`] = word)))
  return { sql, params: keep(placeParams(query.driver, query.from, params), sql) }
}

export function piecesBatch(db: Database, query: PiecesBatchQuery): PiecesRow[] {
  const { sql, params } = piecesBatchStatement(query)
  return statement(db, sql, { raw: true }).all(params) as PiecesRow[]
}

/** The first user of some words' ranges from a place in name order (from the start: undefined), a seek of each range; null past the last. */
export function firstOfWords(db: Database, words: readonly string[], direction: 'asc' | 'desc', from: PiecesPlace | undefined): PiecesPlace | null {
  const dir = direction === 'asc' ? 'ASC' : 'DESC'
  const sql = mergedRanges(words, '', from === undefined ? '' : wordsKeyset(direction, from.inclusive), dir)
  const row = statement(db, sql, { raw: true }).get(keep(placeParams(words, from, { limit: 1 }), sql)) as [string, number] | undefined
  return row === undefined ? null : { text: row[0], id: row[1], inclusive: true }
}

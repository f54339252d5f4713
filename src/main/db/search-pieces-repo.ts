// SQL of a search for a term with separators ("elena.petrov", "petrov14") in
// name order (src/main/core/listing/search-pieces.ts): the words each piece of
// the term allows, the matches among a batch of one piece's users in name order
// (those that hold the other pieces' words too and pass the term's own test),
// where a batch ends, and the first user of a piece from a place in the order
// (to leap over users that cannot match). All of it reads user_words (migration 20) by its key.
import type { TermPiece } from './name-words'
import type { BoundStatement } from './order-sql'
import { classFilterSql, hasRowTests, type ClassFilter } from './row-filter-repo'
import { keep, KEY_NAME, matchSql, maybeMatchSql, phrase, prefixEnd, type SearchTerm } from './search-repo'
import type { SearchWord } from './search-words-repo'
import { mergeLimit, wordsKeyset } from './search-words-repo'
import type { Database } from './sqlite'
import { statement } from './statements'

/** The end mark words_search holds after each word (migration 21), twice. */
const WORD_END = '\u001f'

/**
 * Up to `limit` of the distinct words a piece allows (termPieces): the word
 * itself, the words that start with it (a range of the words' index), or those
 * that end with it: from the words' trigram index, where each word is followed
 * by two end marks (migration 21), so the trigrams of the piece and one mark
 * (with two for a piece of one character) find them at any length.
 */
export function wordsOfPiece(db: Database, piece: TermPiece, limit: number): SearchWord[] {
  if (piece.kind === 'word') return statement(db, 'SELECT word, users FROM search_words WHERE word = @word').all({ word: piece.text }) as SearchWord[]
  if (piece.kind === 'start') {
    const sql = 'SELECT word, users FROM search_words WHERE word >= @low AND word < @high ORDER BY word LIMIT @limit'
    return statement(db, sql).all({ low: piece.text, high: prefixEnd(piece.text, false), limit }) as SearchWord[]
  }
  const ending = [...piece.text].length < 2 ? `${piece.text}${WORD_END}${WORD_END}` : `${piece.text}${WORD_END}`
  const sql = `SELECT w.word, w.users FROM words_search f CROSS JOIN search_words w ON w.id = f.rowid
    WHERE words_search MATCH @match AND substr(w.word, -length(@end)) = @end LIMIT @limit`
  return statement(db, sql).all({ match: phrase(ending), end: piece.text, limit }) as SearchWord[]
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

/**
 * The ranges of user_words of some words from a place, merged in name order (a
 * compound SELECT: MERGE (UNION), no sort), or the administrators' own index
 * (name key, id, email...) from there, up to `tail` (mergeLimit).
 */
function mergedRanges(words: readonly string[] | 'admins', keyset: string, dir: string, tail: string): string {
  if (words === 'admins') {
    return `SELECT w.name_key, w.id FROM users w INDEXED BY users_admins_by_name WHERE w.role = 'admin' ${keyset} ORDER BY 1 ${dir}, 2 ${dir} ${tail}`
  }
  const arms = words.map((_, i) => `SELECT w.name_key, w.id FROM user_words w WHERE w.word = @word${i} ${keyset}`)
  return `${arms.join(' UNION ')} ORDER BY 1 ${dir}, 2 ${dir} ${tail}`
}

/** Params of a place (wordsKeyset's) and of the words. */
function placeParams(words: readonly string[] | 'admins', from: PiecesPlace | undefined, params: Record<string, unknown>): Record<string, unknown> {
  if (words !== 'admins') words.forEach((word, i) => (params[`word${i}`] = word))
  if (from !== undefined) Object.assign(params, { afterText: from.text, afterId: from.id })
  return params
}

/** The batch: `limit` of the driver's users in name order from the place (mergedRanges), or the `tail` of it. */
function batchWindow(query: PiecesBatchQuery, tail = mergeLimit(query.limit)): string {
  const keyset = query.from === undefined ? '' : wordsKeyset(query.direction, query.from.inclusive)
  return mergedRanges(query.driver, keyset, query.direction === 'asc' ? 'ASC' : 'DESC', tail)
}

/** That a user `w` of the batch holds a word of every other piece: a seek of the key of user_words per word. */
function holdsSql(query: PiecesBatchQuery): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {}
  const holds = query.others.map((words, i) => {
    words.forEach((word, j) => (params[`other${i}w${j}`] = word))
    // The words as parameters, not a json_each list: a list subquery would be built again in each arm of the merge.
    return `EXISTS (SELECT 1 FROM user_words x WHERE x.word IN (${words.map((_, j) => `@other${i}w${j}`).join(', ')}) AND x.name_key = w.name_key AND x.id = w.id)`
  })
  return { sql: holds.join(' AND '), params }
}

/** That a user `w` of a batch is in the filter's classes: a seek of the class index per class. */
const CLASS_OF_W = 'EXISTS (SELECT 1 FROM users c INDEXED BY users_by_class_name WHERE c.tfa_class IN (SELECT value FROM json_each(@classes)) AND c.name_key = w.name_key AND c.id = w.id)'

/**
 * The matches among a batch of the driver's users, in name order: those that
 * hold a word of every other piece (holdsSql) and then pass the term's test
 * (what the term means, as every other way reads it) and the filter: a seek of
 * the same name key and id in users_by_class_name for classes or
 * users_admins_by_name for the administrators (each holds the email), else
 * the user's row by its id. The tests are the WHERE of the
 * batch read as a co-routine (SQLite runs each EXISTS as a join that stops at
 * the first row: about 0.55 µs a user at 10M, where the same test as a column
 * of every user, to be sorted out here, took 1.1 µs and as much again to hand
 * each row over). A user in two of the driver's ranges is one row of the
 * UNION, so it is tested and kept once.
 */
export function piecesMatchesStatement(query: PiecesBatchQuery): BoundStatement {
  const dir = query.direction === 'asc' ? 'ASC' : 'DESC'
  const { filter } = query
  const classesOnly = filter.classes !== null && !hasRowTests(filter) && filter.dueBy === null
  const tests = filter.rows?.tests ?? []
  const adminsOnly = filter.classes === null && tests.length > 0 && tests.every((test) => test === 'admin')
  // Read the name key (which ends with the name) and the email from an index for a filter: the administrators' or
  // the classes'. Without a filter, from the user's row by its id: at 10M a seek of the integer key took 0.48 µs a
  // user of the batch where one of users_by_name_key (the name key's text compared at each level) took 0.63.
  const indexed = filter.classes === null ? adminsOnly : classesOnly
  const cheap = maybeMatchSql(query.term, indexed ? 'u.name_key' : 'u.name', 'u.email')
  const exact = matchSql(query.term, indexed ? KEY_NAME : 'u.name')
  const tested = indexed ? { sql: '', params: {} } : classFilterSql(filter)
  const seek = adminsOnly
    ? "users u INDEXED BY users_admins_by_name WHERE u.role = 'admin' AND u.name_key = w.name_key AND u.id = w.id"
    : indexed
      ? 'users u INDEXED BY users_by_class_name WHERE u.tfa_class IN (SELECT value FROM json_each(@classes)) AND u.name_key = w.name_key AND u.id = w.id'
      : 'users u WHERE u.id = w.id'
  const passes = `EXISTS (SELECT 1 FROM ${seek} ${cheap.sql} AND ${exact.sql} ${tested.sql})`
  const holds = holdsSql(query)
  // Within classes, the class first (a seek of its index per class), before the other pieces' words (a seek per
  // word, 48 for "a.m"): at 10M within pending "a.m" 39 -> 6.4 ms, "e.s" 16 -> 4.7.
  const inClasses = indexed && filter.classes !== null ? `${CLASS_OF_W} AND ` : ''
  const where = `${inClasses}${holds.sql === '' ? passes : `${holds.sql} AND ${passes}`}`
  const sql = `SELECT w.name_key, w.id FROM (${batchWindow(query)}) w WHERE ${where} ORDER BY 1 ${dir}, 2 ${dir}`
  const params: Record<string, unknown> = { ...cheap.params, ...exact.params, ...tested.params, ...holds.params }
  if (indexed && filter.classes !== null) params.classes = JSON.stringify(filter.classes)
  return { sql, params: keep(placeParams(query.driver, query.from, params), sql) }
}

/** The matches of a batch in name order, [name key, id]: every one, or the first `atMost` (the rest of the batch is not read). */
export function piecesMatches(db: Database, query: PiecesBatchQuery, atMost?: number): [text: string, id: number][] {
  const { sql, params } = piecesMatchesStatement(query)
  // A parameter: it varies with what the page still needs, and it bounds the outer SELECT, not the merge.
  const limited = atMost === undefined ? sql : `${sql} LIMIT @atMost`
  return statement(db, limited, { raw: true }).all(atMost === undefined ? params : { ...params, atMost }) as [string, number][]
}

/**
 * The last user of a batch when it holds `limit` users (the next batch goes on
 * after it), or null when the driver's ranges end within it: the batch's
 * entries of the index read again without a test, about 0.06 ms for 1,024.
 */
export function piecesBatchEnd(db: Database, query: PiecesBatchQuery): PiecesPlace | null {
  const sql = batchWindow(query, mergeLimit(1, Math.max(0, query.limit - 1)))
  const row = statement(db, sql, { raw: true }).get(keep(placeParams(query.driver, query.from, {}), sql)) as [string, number] | undefined
  return row === undefined || query.limit < 1 ? null : { text: row[0], id: row[1], inclusive: false }
}

/** Users of a batch that hold a word of every other piece, counted up to `atMost`. */
export function piecesHeld(db: Database, query: PiecesBatchQuery, atMost: number): number {
  const holds = holdsSql(query)
  if (holds.sql === '') return Math.min(atMost, query.limit)
  const sql = `SELECT count(*) FROM (SELECT 1 FROM (${batchWindow(query)}) w WHERE ${holds.sql} ${mergeLimit(atMost)})`
  const row = statement(db, sql, { raw: true }).get(keep(placeParams(query.driver, query.from, { ...holds.params }), sql)) as [number]
  return row[0]
}

/** The first user of some words' ranges from a place in name order (from the start: undefined), a seek of each range; null past the last. */
export function firstOfWords(db: Database, words: readonly string[], direction: 'asc' | 'desc', from: PiecesPlace | undefined): PiecesPlace | null {
  const dir = direction === 'asc' ? 'ASC' : 'DESC'
  const sql = mergedRanges(words, from === undefined ? '' : wordsKeyset(direction, from.inclusive), dir, mergeLimit(1))
  const row = statement(db, sql, { raw: true }).get(keep(placeParams(words, from, {}), sql)) as [string, number] | undefined
  return row === undefined ? null : { text: row[0], id: row[1], inclusive: true }
}

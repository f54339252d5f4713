// SQL of a one-word search (src/main/core/listing/search-words.ts): the words
// that contain a term, and the users of one word in name order from a cursor
// (user_words, migration 20) or in email order (user_words_by_email, migration
// 22), tested against a filter when there is one.
import type { BoundStatement } from './order-sql'
import { classFilterSql, hasRowTests, type ClassFilter } from './row-filter-repo'
import { keep, phrase } from './search-repo'
import type { Database } from './sqlite'
import { statement } from './statements'

/** A distinct word of names and local parts, and how many users have it. */
export interface SearchWord {
  word: string
  users: number
}

/**
 * Up to `limit` of the distinct words that contain `q` (three characters or
 * more, lowered), from the trigram index of the words (words_search): a few
 * entries of a small index, whatever the size of the directory.
 */
export function wordsContaining(db: Database, q: string, limit: number): SearchWord[] {
  const sql = `SELECT w.word, w.users FROM words_search f CROSS JOIN search_words w ON w.id = f.rowid
    WHERE words_search MATCH @match AND instr(w.word, @q) > 0 LIMIT @limit`
  return statement(db, sql).all({ match: phrase(q), q, limit }) as SearchWord[]
}

/** Whether some email domain contains `q` (its users match too, and user_words holds no domain). */
export function someDomainContains(db: Database, q: string): boolean {
  return statement(db, 'SELECT 1 FROM domain_counts WHERE instr(domain, @q) > 0 LIMIT 1', { pluck: true }).get({ q }) !== undefined
}

/**
 * The condition of a range of user_words after the cursor (@afterText,
 * @afterId) in name order (of user_words_by_email in email order: `column`),
 * or from it when `inclusive`: written so that the seek on (word, name key or
 * email) bounds the range and the id breaks the tie.
 */
export function wordsKeyset(direction: 'asc' | 'desc', inclusive: boolean, column: 'name_key' | 'email' = 'name_key'): string {
  const [past, beyond] = direction === 'asc' ? ['>', inclusive ? '>=' : '>'] : ['<', inclusive ? '<=' : '<']
  return `AND w.${column} ${past}= @afterText AND (w.${column} ${past} @afterText OR w.id ${beyond} @afterId)`
}

export interface WordsPageQuery {
  /** The words that hold the term (wordsContaining), at least one. */
  words: readonly string[]
  /** Name order (user_words) unless 'email' (user_words_by_email, migration 22). */
  order?: 'name' | 'email'
  filter: ClassFilter
  direction: 'asc' | 'desc'
  after?: { text: string; id: number }
  limit: number
}

/**
 * The LIMIT of a merge of ranges, written into its text: SQLite runs a compound
 * SELECT whose LIMIT is a parameter about 6 µs an arm slower than one whose
 * LIMIT it reads at prepare (at 10M the first user of 15 words' ranges: 98
 * against 13 µs; a batch of 64 from them 144 against 55). A count the caller
 * computed, checked to be one, so the text can only be a number; callers keep
 * the counts few (powers of two, the page's size), as each is a statement of its own.
 */
export function mergeLimit(count: number, offset = 0): string {
  if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(offset) || offset < 0) throw new Error(`A merge's limit must be a count, not ${count} (offset ${offset}).`)
  return offset === 0 ? `LIMIT ${count}` : `LIMIT ${count} OFFSET ${offset}`
}

/** Where a words page of each order reads: the words' table, its order's column, and the class index holding that column. */
const WORDS_ORDER = {
  name: { table: 'user_words', column: 'name_key', classIndex: 'users_by_class_name' },
  email: { table: 'user_words_by_email', column: 'email', classIndex: 'users_by_class_email' }
} as const

/**
 * A page of the users of some words in name (or email) order after the cursor,
 * within the filter: one range of user_words (user_words_by_email) per word,
 * merged by SQLite (a compound SELECT ordered as each range already is is a
 * merge that reads each range only as far as the page needs: MERGE (UNION) in
 * its plan, no sort), and a user in two of the ranges once (UNION). A filter of
 * classes only is tested in users_by_class_name (users_by_class_email): a seek
 * of the class, the order's key and the id, the index entry, not the user's
 * row; another filter on the user's row.
 */
export function wordsPageStatement(query: WordsPageQuery): BoundStatement {
  const dir = query.direction === 'asc' ? 'ASC' : 'DESC'
  const { table, column, classIndex } = WORDS_ORDER[query.order ?? 'name']
  const keyset = query.after === undefined ? '' : wordsKeyset(query.direction, false, column)
  const { filter } = query
  const classesOnly = filter.classes !== null && !hasRowTests(filter) && filter.dueBy === null
  const { sql: classFilter, params: classParams } = classFilterSql(filter)
  const test =
    filter.classes === null && !hasRowTests(filter)
      ? ''
      : classesOnly
        ? `AND EXISTS (SELECT 1 FROM users u INDEXED BY ${classIndex} WHERE u.tfa_class IN (SELECT value FROM json_each(@classes)) AND u.${column} = w.${column} AND u.id = w.id)`
        : `AND EXISTS (SELECT 1 FROM users u WHERE u.id = w.id ${classFilter})`
  const arms = query.words.map((_, i) => `SELECT w.${column} AS k, w.id AS id FROM ${table} w WHERE w.word = @word${i} ${keyset} ${test}`)
  const sql = `${arms.join(' UNION ')} ORDER BY 1 ${dir}, 2 ${dir} ${mergeLimit(query.limit)}`
  const params: Record<string, unknown> = { ...classParams }
  if (classesOnly) params.classes = JSON.stringify(filter.classes)
  query.words.forEach((word, i) => (params[`word${i}`] = word))
  if (query.after !== undefined) Object.assign(params, { afterText: query.after.text, afterId: query.after.id })
  return { sql, params: keep(params, sql) }
}

/** The page's ids in name (or email) order (wordsPageStatement). */
export function wordsPageIds(db: Database, query: WordsPageQuery): number[] {
  const { sql, params } = wordsPageStatement(query)
  return (statement(db, sql, { raw: true }).all(params) as [string, number][]).map((row) => row[1])
}

// SQL of the search box (src/main/core/listing/search-page.ts): which users a
// term matches, read from the index that suits the term's shape (migrations 13 and 16).
//
// What a term means never depends on its shape: a term of three characters or
// more matches a user whose name or email contains it, a shorter one a user
// whose name or email starts with it, ignoring ASCII case: exactly what
// matchSql() tests on a row. Only where the matches are read from differs:
//   - no @ in the term: it lies wholly in the local part or in the domain.
//     Names and local parts come from the trigram index; the domains that
//     contain it are found among the distinct domains (a hop per domain along
//     users_by_domain) and their users read from that index;
//   - one @, L@R: the local part ends with L and the domain starts with R: a
//     range of the index of local parts' ends (db/local-end.ts) for L, each
//     email tested from the index; the domain range of R when L is empty;
//   - names with an @ come from their partial index;
//   - a term of one or two characters: ranges of the name key and email indexes.
// Each shape's arms are disjoint (an arm leaves out what an earlier one holds),
// so a UNION ALL of them holds every match once, and a count is their sum.
import { foldName } from '../../shared/name-key'
import type { BoundStatement } from './order-sql'
import { classFilterSql, hasRowTests, type ClassFilter } from './row-filter-repo'
import type { Database } from './sqlite'
import { statement } from './statements'
import { asciiLower, localEndOfTerm } from './local-end'
import { keep } from './statement-params'

/**
 * A search term: `substring` (at least three characters) matches anywhere in
 * the name or the email, `prefix` at their start, ignoring ASCII case.
 */
export interface SearchTerm {
  kind: 'substring' | 'prefix'
  text: string
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

// lower() in SQLite folds ASCII only; the search index holds lower(name) and the lowered local part.
export { asciiLower }

/** Above every text in SQLite's order (any BLOB sorts after any TEXT): the end of a range with no end. */
const ABOVE_ALL_TEXT = Buffer.from([0xff])

/**
 * The end of the range of strings that start with `prefix`: the least string above all of them, in
 * SQLite's order of text (UTF-8 bytes, which is the order of code points). The last code point goes up
 * by one (into the surrogates too: a lone one, which a JavaScript string may hold, is stored as
 * its three bytes ED A0 80 to ED BF BF, between U+D7FF and U+E000), after dropping the U+10FFFF
 * ones, which have none above them; `prefix` + U+10FFFF would leave out a name with U+10FFFF and more after the prefix.
 * `nocase`: for a column compared with NOCASE, where no ASCII capital is ever seen, so one is passed over.
 */
export function prefixEnd(prefix: string, nocase: boolean): string | Buffer {
  const points = [...(nocase ? asciiLower(prefix) : prefix)].map((char) => char.codePointAt(0) ?? 0)
  while (points.length > 0 && points[points.length - 1] === 0x10ffff) points.pop()
  const last = points.pop()
  if (last === undefined) return ABOVE_ALL_TEXT
  let next = last + 1
  if (nocase && next >= 0x41 && next <= 0x5a) next = 0x5b
  return String.fromCodePoint(...points, next)
}

/** A quoted FTS5 string is one phrase of trigrams: an exact substring of the lowered column. */
export function phrase(text: string, column?: 'local'): string {
  const quoted = `"${text.replace(/"/g, '""')}"`
  return column === undefined ? quoted : `${column} : ${quoted}`
}

/** The name as the name key holds it, after the folded name and char(1) (name-key.ts): read from an index that holds the key. */
export const KEY_NAME = 'substr(u.name_key, instr(u.name_key, char(1)) + 1)'

/** Trigrams of a long term an arm asks the index for: the rarest-looking few, not every one of the phrase. */
const CANDIDATE_TRIGRAMS = 3

/** How rare a trigram looks: digits and punctuation are rarer in names and local parts than letters. */
function rarity(trigram: string): number {
  let score = 0
  for (const c of trigram) score += /\p{Nd}/u.test(c) ? 3 : /\p{L}/u.test(c) ? 0 : 2
  return score
}

/**
 * The index query of an arm that tests each row itself: a phrase reads the
 * doclist of every trigram of the term (at 10M users, a few hundred thousand
 * entries each for common ones), so a long term asks only for rows holding its
 * CANDIDATE_TRIGRAMS rarest-looking trigrams (spread over the term when none
 * stands out), and the arm's own test keeps exactly the matches.
 */
export function candidatesQuery(text: string): string {
  const chars = [...text]
  if (chars.length < TRIGRAM + CANDIDATE_TRIGRAMS) return phrase(text)
  const trigrams = chars.slice(0, chars.length - TRIGRAM + 1).map((_, i) => ({ i, t: chars.slice(i, i + TRIGRAM).join('') }))
  const ranked = [...trigrams].sort((a, b) => rarity(b.t) - rarity(a.t) || Math.abs(a.i - (trigrams.length - 1) / 2) - Math.abs(b.i - (trigrams.length - 1) / 2))
  // The rarest-looking first, then the two ends (measured better than more of the middle on the bench's
  // names and emails: the ends of a local part are its least shared letters), then the others.
  const chosen = [ranked[0]!, trigrams[0]!, trigrams[trigrams.length - 1]!, ...ranked.slice(1)]
  const picked: string[] = []
  for (const { t } of chosen) if (!picked.includes(t) && picked.length < CANDIDATE_TRIGRAMS) picked.push(t)
  return picked.map((t) => phrase(t)).join(' AND ')
}

/**
 * Terms of at most this many characters are read as their phrase when no domain holds them: the
 * doclists of their (at most six) trigrams, and no user row. Longer ones read the rows of a few
 * candidate trigrams and test each: at 1M users (2026-12-04) every match of "sanchez" (8,358)
 * 3.3 ms by its phrase against 21 ms by candidates, but "elena.petrov" (66) 2.1 ms against 0.76 ms.
 */
const PHRASE_READ_MAX = 8

/** The shorter terms cannot use the trigram index: a trigram is three characters. */
const TRIGRAM = 3

/** The domains that contain @q, from the count of each domain's users (migration 19): one row a domain, no user read. */
export const DOMAINS_HIT_CTE = 'WITH hit AS MATERIALIZED (SELECT domain FROM domain_counts WHERE instr(domain, @q) > 0)'

/**
 * The test of one row: exactly what a term means (the arms only choose where
 * the rows come from). `name` is where the name is read: the column, or
 * KEY_NAME when the index read holds the name key and not the name.
 */
export function matchSql(term: SearchTerm, name: string = 'u.name'): BoundStatement {
  if (term.kind === 'prefix') {
    return { sql: `(${name} LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\')`, params: { like: `${escapeLike(term.text)}%` } }
  }
  return { sql: `(instr(lower(${name}), @q) > 0 OR instr(lower(u.email), @q) > 0)`, params: { q: asciiLower(term.text) } }
}

/**
 * A cheap first test of a row read from an index that holds the name key (which
 * holds the name) and the email: every row that matchSql passes passes it, so
 * it goes before that test (`AND`), never instead of it. LIKE ignores ASCII case
 * as lower() does, without lowering a copy of each text: 12.6 against 19.5 ms a
 * 100,000 rows at 10M. Empty for a prefix (matchSql is a LIKE already).
 */
export function maybeMatchSql(term: SearchTerm, nameKey: string, email: string): BoundStatement {
  if (term.kind === 'prefix') return { sql: '', params: {} }
  return {
    sql: `AND (${nameKey} LIKE @likeAnywhere ESCAPE '\\' OR ${email} LIKE @likeAnywhere ESCAPE '\\')`,
    params: { likeAnywhere: `%${escapeLike(asciiLower(term.text))}%` }
  }
}

/** One arm: a statement of ids (`u.id`), whose rows no earlier arm of the shape holds. */
interface Arm {
  /** SELECT u.id FROM ... WHERE ... with `${filter}` where the class filter goes. */
  select: (filter: string) => string
  /** Its users counted without a filter, when that needs no read of them: a sum of domain_counts. */
  unfilteredCount?: string
}

interface Shape {
  /** A WITH clause the arms share (or ''). */
  with: string
  arms: Arm[]
  params: Record<string, unknown>
}

/** The arms of a term, by its shape. */
export function shapeOf(term: SearchTerm): Shape {
  if (term.kind === 'prefix') {
    const like = `${escapeLike(term.text)}%`
    // Every name that starts with the term has a key that starts with the folded term (name-key.ts folds
    // letter by letter): a range of the name key's indexes holds them all, and the LIKE keeps exactly them.
    return {
      with: '',
      params: { low: term.text, high: prefixEnd(term.text, true), lowKey: foldName(term.text), highKey: prefixEnd(foldName(term.text), true), like },
      // The name key ends with the name itself (after char(1): name-key.ts), and both indexes hold the name key
      // and the email: the tests read only the index, the user's row only for a filter.
      arms: [
        { select: (f) => `SELECT u.id FROM users u INDEXED BY users_by_name_key WHERE u.name_key >= @lowKey AND u.name_key < @highKey AND ${KEY_NAME} LIKE @like ESCAPE '\\' ${f}` },
        {
          select: (f) => `SELECT u.id FROM users u INDEXED BY users_walk_by_email WHERE u.email >= @low AND u.email < @high AND +u.email LIKE @like ESCAPE '\\'
            AND NOT (${KEY_NAME} LIKE @like ESCAPE '\\') ${f}`
        }
      ]
    }
  }
  const q = asciiLower(term.text)
  const at = q.indexOf('@')
  // Names with an @ (none in practice): their partial index holds only them. Without the users whose email matched (an earlier arm).
  const namesWithAt = (afterEmails: boolean): Arm => ({
    select: (f) => `SELECT u.id FROM users u INDEXED BY users_name_with_at WHERE instr(u.name, '@') > 0 AND instr(lower(u.name), @q) > 0
      ${afterEmails ? 'AND NOT (instr(lower(u.email), @q) > 0)' : ''} ${f}`
  })
  if (at < 0) {
    const byPhrase = [...q].length <= PHRASE_READ_MAX
    // Outside the domains that hold the term, an email holds it in its local part: the test is exact.
    const tested = (guard: string): Arm => ({
      select: (f) => `SELECT u.id FROM users_search s CROSS JOIN users u ON u.id = s.rowid
            WHERE ${guard} users_search MATCH @candidates AND u.email_domain NOT IN (SELECT domain FROM hit)
              AND (instr(lower(u.name), @q) > 0 OR instr(lower(u.email), @q) > 0) ${f}`
    })
    // When no domain holds the term, the phrase is exactly the matches: rowids from the index, a user's row only for a filter.
    const phraseOnly: Arm = {
      select: (f) =>
        f === ''
          ? 'SELECT s.rowid AS id FROM users_search s WHERE users_search MATCH @match AND NOT EXISTS (SELECT 1 FROM hit)'
          : `SELECT u.id FROM users_search s CROSS JOIN users u ON u.id = s.rowid WHERE users_search MATCH @match AND NOT EXISTS (SELECT 1 FROM hit) ${f}`
    }
    return {
      with: DOMAINS_HIT_CTE,
      // `match` is the exact phrase (a count reads it alone), `candidates` what an arm that tests each row asks for.
      params: { q, match: phrase(q), candidates: candidatesQuery(q) },
      arms: [
        {
          select: (f) => `SELECT u.id FROM hit CROSS JOIN users u INDEXED BY users_by_domain ON u.email_domain = hit.domain WHERE 1 ${f}`,
          unfilteredCount: 'SELECT coalesce(sum(c.users), 0) FROM hit CROSS JOIN domain_counts c ON c.domain = hit.domain'
        },
        ...(byPhrase ? [phraseOnly, tested('EXISTS (SELECT 1 FROM hit) AND')] : [tested('')])
      ]
    }
  }
  if (q.indexOf('@', at + 1) >= 0) {
    // Two @: no email holds it (an address has one), only a name can.
    return { with: '', params: { q }, arms: [namesWithAt(false)] }
  }
  const local = q.slice(0, at)
  const domain = q.slice(at + 1)
  if (local === '') {
    // "@R": the domain starts with R, exactly a range of the domain index (without a filter, counted from domain_counts).
    return {
      with: '',
      params: { q, lowDomain: domain, highDomain: prefixEnd(domain, false) },
      arms: [
        {
          select: (f) => `SELECT u.id FROM users u INDEXED BY users_by_domain WHERE u.email_domain >= @lowDomain AND u.email_domain < @highDomain ${f}`,
          unfilteredCount: 'SELECT coalesce(sum(users), 0) FROM domain_counts WHERE domain >= @lowDomain AND domain < @highDomain'
        },
        namesWithAt(true)
      ]
    }
  }
  // "L@R": the local part ends with L, one range of the index of local parts' ends (migration 16), which holds
  // the email for the whole term's test; then the users written without that value (none in practice).
  const ends: Arm = {
    select: (f) => `SELECT u.id FROM users u INDEXED BY users_by_local_end WHERE u.email_local_rev >= @lowEnd AND u.email_local_rev < @highEnd
      AND instr(lower(u.email), @q) > 0 ${f}`
  }
  const unwritten: Arm = {
    select: (f) => `SELECT u.id FROM users u INDEXED BY users_local_end_missing WHERE u.email_local_rev IS NULL AND instr(lower(u.email), @q) > 0 ${f}`
  }
  const lowEnd = localEndOfTerm(local)
  return { with: '', params: { q, lowEnd, highEnd: prefixEnd(lowEnd, false) }, arms: [ends, unwritten, namesWithAt(true)] }
}

/**
 * Ids of up to `limit` users matching the term (negative: all), and the filter,
 * in the order the indexes yield them (not sorted), each once. The caller asks
 * for one more than it will use to learn whether there are more.
 */
export function findMatchingUserIds(db: Database, term: SearchTerm, filter: ClassFilter, limit: number): number[] {
  const { sql, params } = matchingUserIdsStatement(term, filter, limit)
  return statement(db, sql, { pluck: true }).all(params) as number[]
}

/** Those of `ids` (a few, in hand) that the filter holds: one seek by id each, no index of the term read again. */
export function idsInFilter(db: Database, ids: readonly number[], filter: ClassFilter): number[] {
  if (ids.length === 0) return []
  const { sql, params } = idsInFilterStatement(ids, filter)
  return statement(db, sql, { pluck: true }).all(params) as number[]
}

export function idsInFilterStatement(ids: readonly number[], filter: ClassFilter): BoundStatement {
  const { sql: classFilter, params } = classFilterSql(filter, '+u.tfa_class')
  // CROSS JOIN keeps the ids outside: else a filter's own index (the administrators') may be read whole instead.
  return { sql: `SELECT u.id FROM json_each(@ids) j CROSS JOIN users u ON u.id = j.value WHERE 1 ${classFilter}`, params: { ...params, ids: JSON.stringify(ids) } }
}

export function matchingUserIdsStatement(term: SearchTerm, filter: ClassFilter, limit: number): BoundStatement {
  const shape = shapeOf(term)
  const { sql: classFilter, params: classParams } = classFilterSql(filter)
  const params: Record<string, unknown> = { armLimit: limit, ...shape.params, ...classParams }
  const arms = shape.arms.map((arm) => `SELECT id FROM (${arm.select(classFilter)} LIMIT @armLimit)`)
  return { sql: `${shape.with} ${arms.join(' UNION ALL ')} LIMIT @armLimit`, params: keep(params, shape.with + arms.join(' ')) }
}

export { keep }

/**
 * How many users match the term and the filter, exactly: the sum of the arms'
 * counts. Without a filter, a term whose domains hold nobody is counted from
 * the trigram index alone (no user row read), and the users of the domains that
 * hold it from domain_counts (a row a domain). Its cost grows with the matches
 * (with a filter, or in names and local parts): the listing runs it in a background task.
 */
export function countMatches(db: Database, term: SearchTerm, filter: ClassFilter): number {
  const shape = shapeOf(term)
  const unfiltered = filter.classes === null && !hasRowTests(filter)
  if (unfiltered && term.kind === 'substring' && shape.with !== '') {
    const q = shape.params.q
    const domains = statement(db, `${DOMAINS_HIT_CTE} SELECT domain FROM hit`, { pluck: true }).all({ q }) as string[]
    const inDomains =
      domains.length === 0
        ? 0
        : (statement(db, 'SELECT coalesce(sum(users), 0) FROM domain_counts WHERE domain IN (SELECT value FROM json_each(@domains))', { pluck: true }).get({
            domains: JSON.stringify(domains)
          }) as number)
    const others =
      domains.length === 0
        ? (statement(db, 'SELECT count(*) FROM users_search WHERE users_search MATCH @match', { pluck: true }).get({ match: shape.params.match }) as number)
        : (statement(
            db,
            `SELECT count(*) FROM users_search s CROSS JOIN users u ON u.id = s.rowid
             WHERE users_search MATCH @match AND u.email_domain NOT IN (SELECT value FROM json_each(@domains))`,
            { pluck: true }
          ).get({ match: shape.params.match, domains: JSON.stringify(domains) }) as number)
    return inDomains + others
  }
  const { sql: classFilter, params: classParams } = classFilterSql(filter)
  let total = 0
  for (const arm of shape.arms) {
    const sql = unfiltered && arm.unfilteredCount !== undefined ? `${shape.with} ${arm.unfilteredCount}` : `${shape.with} SELECT count(*) FROM (${arm.select(classFilter)})`
    total += statement(db, sql, { pluck: true }).get(keep({ ...shape.params, ...classParams }, sql)) as number
  }
  return total
}

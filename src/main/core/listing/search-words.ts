// A page of a one-word search in name order ("maria", "sanchez", "mar"): the
// users of each word that contains the term are a range of user_words already
// in name order (migration 20, db/name-words.ts), or of user_words_by_email in
// email order (migration 22), so the page is the merge of
// those ranges from the cursor (db/search-words-repo.ts), a few rows of each,
// whatever the number of matches or the size of the directory. search-page.ts
// asks it first for a term of three characters or more without a separator
// that no domain holds; null sends the page the other ways (the term is not
// one word, or too many words hold it).
import type { Database } from '../../db/connection'
import { isOneWord } from '../../db/name-words'
import { hasRowTests } from '../../db/row-filter-repo'
import { asciiLower } from '../../db/search-repo'
import { someDomainContains, wordsContaining, wordsPageIds } from '../../db/search-words-repo'
import type { SearchPageInput } from './search-sorted'

/** The most words a term's page merges ("mar" is in 21 of the demo's 249 words): more, and the other ways read it. */
export const MAX_WORDS = 64

/** The page's ids in order, and its total when the page knows it exactly. */
export interface WordsPage {
  ids: number[]
  exactTotal: number | null
}

/** The lowered term when a words page can answer it: three characters or more, inside one word, in no domain. */
export function oneWordTerm(db: Database, input: SearchPageInput, orders: readonly string[] = ['name']): string | null {
  if (input.term.kind !== 'substring' || !orders.includes(input.request.sort)) return null
  const q = asciiLower(input.term.text)
  if ([...q].length < 3 || !isOneWord(q) || someDomainContains(db, q)) return null
  return q
}

/**
 * The page of a one-word term (oneWordTerm): the ranges of the words that
 * contain it merged in the list's order (name, or email) from the cursor, within the filter. Null
 * when more than `maxWords` words hold the term.
 */
export function wordsPage(db: Database, input: SearchPageInput, q: string, maxWords: number = MAX_WORDS): WordsPage | null {
  const { request, source, after, wanted } = input
  const words = wordsContaining(db, q, maxWords + 1)
  if (words.length > maxWords) return null
  const unfiltered = source.filter.classes === null && !hasRowTests(source.filter)
  const ids =
    words.length === 0
      ? []
      : wordsPageIds(db, {
          words: words.map((word) => word.word),
          order: request.sort === 'email' ? 'email' : 'name',
          filter: source.filter,
          direction: request.direction,
          ...(after === null ? {} : { after: { text: after.text, id: after.id } }),
          limit: wanted
        })
  // Exact when every match from the first is on the page, or when one word holds the term (its users are the matches).
  const exactTotal = after === null && ids.length < wanted ? ids.length : unfiltered && words.length === 1 ? words[0]!.users : null
  return { ids, exactTotal }
}

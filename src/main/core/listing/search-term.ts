// What a search box query means: terms of one or two characters match the
// start of a name or an email (the sort indexes), longer ones anywhere in
// either (the trigram index).
import type { SearchTerm } from '../../db/listing-repo'

/** Shorter search terms match the start of a name or an email; longer ones anywhere in either. */
export const SUBSTRING_MIN_LENGTH = 3

export function searchTerm(query: string | undefined): SearchTerm | null {
  const text = query?.trim() ?? ''
  if (text.length === 0) return null
  return { kind: [...text].length >= SUBSTRING_MIN_LENGTH ? 'substring' : 'prefix', text }
}

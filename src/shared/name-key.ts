// The key names sort by, the way people read them: accented letters with their
// base letter ("Łukasz" among the L's, "Émile" among the E's, "Yılmaz" next to
// "Young"), case ignored, then the name itself and the id break ties. The
// repositories store it in users.name_key with every name they write
// (migration 12); every name order (pages, signposts, merges of arms, search
// pages) compares keys, never names.

/** Letters that canonical or compatibility decomposition leaves whole, folded to what a reader takes for their base. */
const FOLDS: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'l',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ı: 'i',
  þ: 'th',
  Þ: 'th',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  Ŧ: 't',
  ŀ: 'l',
  Ŀ: 'l',
  ĸ: 'k',
  ŋ: 'n',
  Ŋ: 'n',
  ſ: 's'
}

const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'gu')
const COMBINING_MARKS = /\p{M}/gu

/** Between the folded name and the name: below every character a name may hold (names refuse control characters). */
const TIE_BREAK = '\u0001'

/**
 * A name folded for reading order: compatibility decomposition, marks dropped,
 * the letters above folded, each letter in lower case on its own (never by its
 * context, as a final sigma would be), so that the fold of a name starts with
 * the fold of any of its prefixes: the prefix search relies on it.
 */
export function foldName(name: string): string {
  const folded = name.normalize('NFKD').replace(COMBINING_MARKS, '').replace(FOLDABLE, (letter) => FOLDS[letter] ?? letter)
  let lower = ''
  for (const letter of folded) lower += letter.toLowerCase()
  return lower
}

/**
 * The sort key of a name: the folded name, then the name itself (so that
 * "Emile" and "Émile" keep one order among themselves); the id breaks the ties
 * that remain. Compared as SQLite's NOCASE does (code points, ASCII case folded).
 * For an ASCII name it is lower(name) || char(1) || name, which is what the
 * database writes itself for a name written without a key (migration 12).
 */
export function nameSortKey(name: string): string {
  return `${foldName(name)}${TIE_BREAK}${name}`
}

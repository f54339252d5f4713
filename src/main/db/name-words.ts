// The words of a user's name and local part, as migration 20's triggers write
// them to user_words (word, name key, id): the index that gives a one-word
// search its matches already in name order (search-words-repo.ts).
//
// A word is a maximal run of characters that are not separators, in the
// lowered name (ASCII, as SQLite's lower()) and the lowered local part. A term
// with no separator lies, wherever it occurs, inside one word: so the users
// whose name or local part contains such a term are exactly the users of the
// words that contain it (the domain side is answered apart: search-repo.ts).
// What counts as a separator only decides which terms can use the words; the
// one condition is that the triggers and isOneWord agree, which both read from
// WORD_SEPARATORS.

/**
 * The characters between words: the usual ones in names and local parts, the
 * digits (so "petrov14" is the word "petrov", not one of thousands of
 * numbered words), the @ of a name, and the backslash (which json_quote would
 * escape, wordsJsonSql below relies on it never reaching there).
 */
export const WORD_SEPARATORS: readonly string[] = [' ', '.', '-', '_', "'", '+', ',', '@', '\\', ...'0123456789', '\u001f']

/** Whether a search term (lowered as asciiLower does) lies inside one word wherever it occurs: it holds no separator. */
export function isOneWord(lowered: string): boolean {
  for (const char of lowered) if (WORD_SEPARATORS.includes(char)) return false
  return lowered.length > 0
}

/** An SQL string literal of one character (the quote doubled). */
function literal(char: string): string {
  return char === '\u001f' ? 'char(31)' : `'${char.replace(/'/g, "''")}'`
}

/**
 * SQL of a JSON array of the words of `text` (an SQL expression, lowered
 * already), with empty strings where separators meet: every separator becomes
 * char(31) before json_quote, which writes it as \u001f and escapes the rest
 * (a quote as \", a control character as \uXXXX; no backslash is left in the
 * text, it is a separator), so \u001f in the quoted text is exactly where a
 * separator was, and '","' there splits the one JSON string into the words.
 */
export function wordsJsonSql(text: string): string {
  let sql = text
  for (const char of WORD_SEPARATORS) if (char !== '\u001f') sql = `replace(${sql}, ${literal(char)}, char(31))`
  return `'[' || replace(json_quote(${sql}), '\\u001f', '","') || ']'`
}

/** SQL of the JSON array of a user's words (`row` is NEW, OLD or a table alias): its name's, then its local part's. */
export function userWordsJsonSql(row: string, localPart: (email: string) => string): string {
  return wordsJsonSql(`lower(${row}.name) || ' ' || ${localPart(`${row}.email`)}`)
}

/** A run of a term between separators, and what it says of a word of every user the term matches. */
export interface TermPiece {
  text: string
  /** 'word': it is a whole word; 'start': a word starts with it; 'end': a word ends with it. */
  kind: 'word' | 'start' | 'end'
}

/**
 * What a term with separators (lowered as asciiLower does) says of the words of
 * every name or local part it occurs in: a run between two separators is one of
 * its words, the run before the first separator ends one, the run after the
 * last starts one. A term with an @ may go on into a domain (which has no
 * words): only the runs before its first @ count, and the one just before it
 * ends a word. Empty for a term of one word (isOneWord) or of separators only.
 */
export function termPieces(lowered: string): TermPiece[] {
  const chars = [...lowered]
  const at = chars.indexOf('@')
  const text = at === -1 ? chars : chars.slice(0, at + 1)
  const pieces: TermPiece[] = []
  let start = 0
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !WORD_SEPARATORS.includes(text[i]!)) continue
    const left = start > 0
    const right = i < text.length
    if (i > start && (left || right)) pieces.push({ text: text.slice(start, i).join(''), kind: left && right ? 'word' : left ? 'start' : 'end' })
    start = i + 1
  }
  return pieces
}

// Which named parameters an SQL text holds, for statements whose text is made
// per call (the searches' merges and arms): better-sqlite3 refuses a parameter
// the text does not name.

/** The parameters each recent statement text names: a search's texts are many but recur as the user types and scrolls. */
const namesOfText = new Map<string, ReadonlySet<string>>()
const MAX_TEXTS = 1024

function namesIn(sql: string): ReadonlySet<string> {
  let names = namesOfText.get(sql)
  if (names === undefined) {
    names = new Set((sql.match(/@[A-Za-z0-9_]+/g) ?? []).map((name) => name.slice(1)))
    namesOfText.set(sql, names)
    if (namesOfText.size > MAX_TEXTS) namesOfText.delete(namesOfText.keys().next().value!)
  }
  return names
}

/**
 * Only the parameters a text names (better-sqlite3 refuses others): each name
 * as a whole (@q is not named by @qq). Read from the text once, not by a regular
 * expression per parameter per call (17 of them over the 2 KB of a leap's merge
 * of 18 words' ranges cost more than the leap itself).
 */
export function keep(params: Record<string, unknown>, sql: string): Record<string, unknown> {
  const names = namesIn(sql)
  const kept: Record<string, unknown> = {}
  for (const name of Object.keys(params)) if (names.has(name)) kept[name] = params[name]
  return kept
}

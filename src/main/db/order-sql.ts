// What several repositories of the Users listing share: the sort orders' SQL and a bound statement.

export type ListOrder = 'name' | 'email'

// Both collate NOCASE, as declared: names sort by their key (src/shared/name-key.ts, migration 12:
// accents with their base letter), emails as they are.
export const ORDER_SQL: Record<ListOrder, string> = { name: 'u.name_key', email: 'u.email' }

/** A statement and its parameters, exported so tests can EXPLAIN it and the benchmark can time it bare. */
export interface BoundStatement {
  sql: string
  params: Record<string, unknown>
}

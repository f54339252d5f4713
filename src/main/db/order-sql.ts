// What several repositories of the Users listing share: the sort orders' SQL and a bound statement.

export type ListOrder = 'name' | 'email'

// Both collate NOCASE: users_by_name is on name COLLATE NOCASE, the email column is declared NOCASE.
export const ORDER_SQL: Record<ListOrder, string> = { name: 'u.name COLLATE NOCASE', email: 'u.email' }

/** A statement and its parameters, exported so tests can EXPLAIN it and the benchmark can time it bare. */
export interface BoundStatement {
  sql: string
  params: Record<string, unknown>
}

// The two facts every database module shares: the connection type and the
// mark that makes a file ours. On their own so that connection.ts and
// migrations.ts can both use them without importing each other.
import type BetterSqlite3 from 'better-sqlite3'

export type Database = BetterSqlite3.Database

/** PRAGMA application_id marking a 2FA Admin database: "2FAA" in ASCII. */
export const APPLICATION_ID = 0x32464141

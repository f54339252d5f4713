// Schema 16: a term with an @ is read from an index of local parts' ends. A
// term L@R matches an email whose local part ends with L and whose domain
// starts with R (an address holds one @). Until now the end of a local part
// came from the trigram index: three doclists read for every full email (1.2 ms
// at 10M users, where the target is an index seek under 1 ms), and a local part
// shorter than a trigram with nothing after the @ ("ab@") read the whole users
// table. `email_local_rev` holds the local part lowered and reversed
// (db/local-end.ts): the local parts that end with L are one range of its index,
// which carries the email for the exact test.
//
// The value is computed in JavaScript (SQLite cannot reverse a string), by the
// repositories with every email. A row written without it (another tool, an
// old build) is NULL and sits in a partial index that the search reads too, so
// it is still found; an email whose local part changes without a new value is
// set to NULL by the trigger below, for the same reason.
import { localEnd } from '../local-end'
import type { Migration } from './migration'

/** Rows read and written at a time: constant memory at any size. */
const BATCH = 10_000

export const localPartEnds: Migration = {
  version: 16,
  description: "an index of the ends of local parts, for terms with an @",
  up(db) {
    db.exec('ALTER TABLE users ADD COLUMN email_local_rev TEXT')
    const read = db.prepare('SELECT id, email FROM users WHERE id > ? ORDER BY id LIMIT ?')
    const write = db.prepare('UPDATE users SET email_local_rev = ? WHERE id = ?')
    for (let after = 0; ; ) {
      const rows = read.all(after, BATCH) as { id: number; email: string }[]
      if (rows.length === 0) break
      for (const row of rows) write.run(localEnd(row.email), row.id)
      after = rows[rows.length - 1]!.id
    }
    db.exec(`
      CREATE INDEX users_by_local_end ON users (email_local_rev, email);
      CREATE INDEX users_local_end_missing ON users (id) WHERE email_local_rev IS NULL;
      CREATE TRIGGER users_local_end_stale AFTER UPDATE OF email ON users
        WHEN NEW.email_local_rev IS OLD.email_local_rev
         AND lower(substr(NEW.email, 1, instr(NEW.email, '@'))) IS NOT lower(substr(OLD.email, 1, instr(OLD.email, '@')))
      BEGIN
        UPDATE users SET email_local_rev = NULL WHERE id = NEW.id;
      END;
    `)
  }
}

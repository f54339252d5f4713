// Schema 17: each class's indexes in name and email order carry the other
// text too, so a walk of one class (a search within a status, or sorted by
// status: search-page-repo.ts walkMatches) tests each row from the index alone.
// Before, every row walked read the user's row for the email (or the name key):
// "mar" sorted by status at 1M took 2.3 ms, 1.4 ms with the index covering it.
// The price: both indexes are larger, and a bulk change that rebuilds them
// (db/set-aside.ts) builds more (docs/PERFORMANCE.md).
import type { Migration } from './migration'

export const classWalkCovers: Migration = {
  version: 17,
  description: "each class's name and email indexes carry the other text, so a walk of one class reads only the index",
  up(db) {
    db.exec(`
      DROP INDEX users_by_class_name;
      CREATE INDEX users_by_class_name ON users (tfa_class, name_key, id, email);
      DROP INDEX users_by_class_email;
      CREATE INDEX users_by_class_email ON users (tfa_class, email, id, name_key);
    `)
  }
}

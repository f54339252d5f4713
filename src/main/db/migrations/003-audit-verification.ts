// Schema 3: how far the audit chain has been verified, so that reading the log
// never walks it again (only entries written since are checked), and indexes
// that keep a filtered page of the log one index seek at any size.
import type { Migration } from './migration'

export const auditVerification: Migration = {
  version: 3,
  description: 'audit chain verification watermark and filtered audit indexes',
  up(db) {
    db.exec(`
      -- One row. verified_through: every entry up to this id was checked and holds;
      -- verified_hash is that entry's hash, so an edit of the entry at the mark is
      -- seen too. broken_*: the first broken link found. full_*: the last check of
      -- every entry (in a worker thread).
      CREATE TABLE audit_verification (
        id               INTEGER PRIMARY KEY CHECK (id = 1),
        verified_through INTEGER NOT NULL CHECK (verified_through >= 0),
        verified_hash    TEXT    NOT NULL,
        broken_at        INTEGER,
        broken_reason    TEXT,
        full_at          INTEGER,
        full_entries     INTEGER,
        full_valid       INTEGER CHECK (full_valid IN (0, 1))
      ) STRICT;
      INSERT INTO audit_verification (id, verified_through, verified_hash) VALUES (1, 0, '${'0'.repeat(64)}');

      -- A user's entries of one action, newest first: an index seek, not a scan of the user's entries.
      CREATE INDEX audit_by_actor_action ON audit_log (actor COLLATE NOCASE, action, id);
      CREATE INDEX audit_by_target_action ON audit_log (target COLLATE NOCASE, action, id);
    `)
  }
}

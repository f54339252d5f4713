// Schema 9: temporary access passes, at most one per user. Only a hash of the
// pass is kept (it is random and high-entropy, so SHA-256 is enough); a pass
// that is revoked, replaced or ended by an activation of 2FA is deleted (the
// audit log keeps its history). A single-use pass that signed its user in keeps
// its row, with used_at, while the session it opened finishes the enrollment.
import type { Migration } from './migration'

export const temporaryPasses: Migration = {
  version: 9,
  description: 'temporary access passes: hashed, one per user, single or multi use, with an expiry',
  up(db) {
    db.exec(`
      CREATE TABLE temporary_passes (
        user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        pass_hash  TEXT    NOT NULL,
        single_use INTEGER NOT NULL CHECK (single_use IN (0, 1)),
        issued_at  INTEGER NOT NULL,
        issued_by  TEXT    NOT NULL,
        expires_at INTEGER NOT NULL CHECK (expires_at > issued_at),
        used_at    INTEGER
      ) STRICT;
    `)
  }
}

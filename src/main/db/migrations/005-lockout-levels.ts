// Schema 5: consecutive failures count across lock periods (NIST SP 800-63B
// 5.2.2): lock_level says how many locks this run of failures has earned, so
// each lock lasts longer than the one before, and the tenth locks the account
// until an administrator unlocks it.
import type { Migration } from './migration'

export const lockoutLevels: Migration = {
  version: 5,
  description: 'lock levels: lockouts that grow and end in an administrator unlock',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN lock_level INTEGER NOT NULL DEFAULT 0 CHECK (lock_level >= 0);
      UPDATE users SET lock_level = failed_attempts / 10;
    `)
  }
}

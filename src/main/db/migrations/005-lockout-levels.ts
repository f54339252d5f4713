// Schema 5: consecutive failures count across lock periods (NIST SP 800-63B
// 5.2.2): lock_level says how many locks this run of failures has earned, so
// each lock lasts longer than the one before, and the tenth locks the account
// until an administrator unlocks it.
import type { Migration } from './migration'

export const lockoutLevels: Migration = {
  version: 5,
  description: 'lock levels: lockouts that grow and end in an administrator unlock; keyed audit links from the next entry on',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN lock_level INTEGER NOT NULL DEFAULT 0 CHECK (lock_level >= 0);
      UPDATE users SET lock_level = failed_attempts / 10;
      -- The audit links of this version are keyed (src/main/core/audit/chain.ts). A log of
      -- plain links from before waits for the first open with the key to record, sealed,
      -- where its keyed links begin, and to say so in the log (audit.chain-keyed).
      INSERT INTO meta (key, value)
        SELECT 'audit_upgrade_pending', '1'
        WHERE EXISTS (SELECT 1 FROM audit_log) AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'audit_keyed_from');
    `)
  }
}

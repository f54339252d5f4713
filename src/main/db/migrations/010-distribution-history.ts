// Schema 10: the 2FA distribution over time, for the trend on Account > Security.
// One row per UTC day (the day number since 1970), written again by each
// recording of that day so the last one wins; the core keeps about 400 days
// (core/history/recorder.ts), so the table stays a few hundred rows at most.
import type { Migration } from './migration'

export const distributionHistory: Migration = {
  version: 10,
  description: 'the 2FA distribution of each UTC day, for the trend on Account > Security',
  up(db) {
    db.exec(`
      CREATE TABLE distribution_history (
        day         INTEGER PRIMARY KEY CHECK (day >= 0),
        recorded_at INTEGER NOT NULL,
        total       INTEGER NOT NULL CHECK (total >= 0),
        active      INTEGER NOT NULL CHECK (active >= 0),
        pending     INTEGER NOT NULL CHECK (pending >= 0),
        inactive    INTEGER NOT NULL CHECK (inactive >= 0),
        -- Of the pending users, those past their deadline; NULL when the recording did not count them.
        overdue     INTEGER CHECK (overdue IS NULL OR overdue >= 0)
      ) STRICT;
    `)
  }
}

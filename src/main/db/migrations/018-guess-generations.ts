// Schema 18: a reserved guess knows which run of failures it was counted in,
// and the account knows when its last guess was reserved (core/lockout.ts).
//
// `lock_generation` goes up whenever the count is reset (a completed sign-in,
// an administrator's unlock): a guess reserved before a reset and given back or
// failed after it is settled against the run it belongs to. Before, a give-back
// after a reset took one off the failures counted since, and a failure after it
// was never counted.
//
// `last_guess_at` is when the newest reservation was made: a count whose guesses
// are all reserved and none settled long after that has lost its settlement
// (the write of the last failure faulted); it earns the lock that failure would
// have earned, dated then, instead of refusing the account until an
// administrator unlocks it. Both columns have constant defaults: adding them
// rewrites no row, at any size.
import type { Migration } from './migration'

export const guessGenerations: Migration = {
  version: 18,
  description: 'each reserved guess is settled against its own run of failures; a lost settlement earns its lock',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN lock_generation INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN last_guess_at INTEGER;
    `)
  }
}

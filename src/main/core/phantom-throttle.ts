// The lockout of emails that have no account, kept in memory and bounded: it
// follows the same rule as a real account's (lockout.ts), so that a wrong guess,
// a lock and its timing answer the same for an email that exists and one that
// does not. Guesses are reserved before the (dummy) password check, as for
// real accounts, so parallel attempts are counted the same way too.
import type { LockState } from '../db/users-repo'
import { afterFailure, mayGuess } from './lockout-rule'

export class PhantomThrottle {
  private readonly entries = new Map<string, LockState>()
  constructor(private readonly maxEntries = 10_000) {}

  private state(email: string): LockState {
    return this.entries.get(email) ?? { failedAttempts: 0, lockLevel: 0, lockedUntil: null, generation: 0, lastGuessAt: null }
  }

  /**
   * Reserves a guess (null), or returns the state that refuses it, as reserveGuess
   * does for an account: the lock message is then worded from it the same way.
   */
  reserve(email: string, now: number): LockState | null {
    const state = this.state(email)
    if (!mayGuess(state, now)) return state
    if (this.entries.size >= this.maxEntries && !this.entries.has(email)) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(email, { ...state, failedAttempts: state.failedAttempts + 1, lastGuessAt: now })
    return null
  }

  /** The reserved guess failed (it always does: there is no account): the lock it earns, as failGuess does. */
  fail(email: string, now: number): LockState {
    const after = afterFailure(this.state(email), now)
    this.entries.set(email, after)
    return after
  }
}

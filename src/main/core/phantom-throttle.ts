// Failure counts for sign-in attempts with emails that have no account, kept in
// memory and bounded, so that "locked" answers the same for everyone.
/** Failure counts for emails that have no account, so a lock message cannot tell who exists. */
export class PhantomThrottle {
  private readonly entries = new Map<string, { failures: number; lockedUntil: number | null }>()
  constructor(private readonly maxEntries = 10_000) {}

  isLocked(email: string, now: number): boolean {
    const entry = this.entries.get(email)
    return entry?.lockedUntil !== null && entry?.lockedUntil !== undefined && entry.lockedUntil > now
  }

  fail(email: string, now: number, threshold: number, lockMs: number): boolean {
    if (this.entries.size >= this.maxEntries && !this.entries.has(email)) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    const entry = this.entries.get(email) ?? { failures: 0, lockedUntil: null }
    if (entry.lockedUntil !== null && entry.lockedUntil <= now) {
      entry.failures = 0
      entry.lockedUntil = null
    }
    entry.failures++
    if (entry.failures >= threshold) entry.lockedUntil = now + lockMs
    this.entries.set(email, entry)
    return entry.lockedUntil !== null
  }
}

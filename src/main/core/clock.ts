// Time is injected everywhere so tests can stand at any instant (TOTP windows,
// lockouts, idle sessions, enrollment expiry).
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock for tests: starts where you say and moves only when told. */
export class ManualClock implements Clock {
  private current: number
  constructor(start: number) {
    this.current = start
  }
  now(): number {
    return this.current
  }
  set(ms: number): void {
    this.current = ms
  }
  advance(ms: number): void {
    this.current += ms
  }
}

// Only the newest answer counts: each request takes a ticket, and an answer
// whose ticket is no longer the latest is dropped. A slow search for "a" must
// not overwrite "ab"; the app keeps only the latest pending enrollment secret.
export interface Ticket {
  readonly id: number
  isLatest: () => boolean
}

export function latestOnly() {
  let latest = 0
  const ticket = (id: number): Ticket => ({ id, isLatest: () => id === latest })
  return {
    /** A new request: every earlier ticket stops being the latest. */
    next: (): Ticket => ticket(++latest),
    /** The latest ticket, for a request that belongs to the current one (its next page, another block). */
    current: (): Ticket => ticket(latest)
  }
}

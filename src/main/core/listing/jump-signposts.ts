// Signposts for jumping to any row of the Users table without OFFSET: every
// Nth sort key of an index range, with the exact position of each, so that row
// k is found by seeking to the last signpost at or before k and stepping the
// few index entries from there.
//
// They are built on the first jump into a range by a chain of bounded index
// steps (one walk of the index: about 40 ms for a million users by name), in
// slices of a few milliseconds between turns of the event loop, so the main
// process never stalls; the first jump waits for them. After that they are kept
// exact without walking again: every change to a user's name, email, role or
// 2FA class is in the key change log (migration 4, written by triggers in the
// change's own transaction, whichever process made it), and each change moves
// the positions of the signposts after its key by one (a Fenwick tree, so a
// change costs O(log n)). Only a bulk load ('reset'), a log that moved on
// further than it keeps, or many changes since the build make them build again.
import { nameSortKey } from '../../../shared/name-key'
import type { Database } from '../../db/connection'
import * as listingRepo from '../../db/listing-repo'
import * as keyChangesRepo from '../../db/key-changes-repo'
import type { KeyChange, UserKeys } from '../../db/key-changes-repo'
import type { KeyRange, SortKey } from '../../db/listing-repo'
import { compareKeys, SignpostSet, START, type KeyMove } from './signpost-set'

export { SignpostSet } from './signpost-set'

/** Rows between signposts when built: a jump steps through at most about this many index entries (about 25 µs by name). */
export const SIGNPOST_EVERY = 1024
/** The longest a build holds the event loop before it yields. */
const SLICE_MS = 4
/** Changes read from the log at a time while catching up. */
const CATCH_UP_BATCH = 2_000

/** Ranges are cached by what they hold, not by direction: a descending list reads the same signposts from the other end. */
export function rangeKey(range: KeyRange): string {
  return `${range.order}|${range.role ?? '*'}|${range.twoFactorClasses?.join('+') ?? '*'}`
}

/** The key a user has in a range, or null when the range does not hold them. */
function keyInRange(range: KeyRange, userId: number, keys: UserKeys | null): SortKey | null {
  if (keys === null) return null
  if (range.role !== undefined && keys.role !== range.role) return null
  if (range.twoFactorClasses !== undefined && !range.twoFactorClasses.includes(keys.twoFactorClass)) return null
  // The log holds names: their key is what the range is ordered by (the same function the repositories write it with).
  return { text: range.order === 'email' ? keys.email : nameSortKey(keys.name), id: userId }
}

function movesIn(range: KeyRange, change: Extract<KeyChange, { kind: 'key' }>): KeyMove[] {
  const moves: KeyMove[] = []
  const before = keyInRange(range, change.userId, change.old)
  const after = keyInRange(range, change.userId, change.new)
  if (before !== null && after !== null && compareKeys(before, after) === 0) return moves
  if (before !== null) moves.push({ key: before, delta: -1 })
  if (after !== null) moves.push({ key: after, delta: 1 })
  return moves
}

interface Entry {
  set: SignpostSet | null
  building: Promise<void> | null
}

export class JumpSignposts {
  private readonly entries = new Map<string, Entry>()
  private generation = 0

  constructor(
    private readonly every = SIGNPOST_EVERY,
    private readonly sliceMs = SLICE_MS
  ) {}

  /** Rebuild after this many applied changes: by then a gap between two signposts may have grown a lot. */
  private get rebuildAfter(): number {
    return this.every * 4
  }

  /**
   * Makes sure each range has signposts that can be brought up to date: the
   * first jump into a range waits for the build (in slices that leave the
   * event loop free); after a reset, or when this process fell behind the log,
   * they are built again the same way.
   */
  async ready(db: Database, ranges: readonly KeyRange[]): Promise<void> {
    for (const range of ranges) {
      const entry = this.entry(range)
      if (entry.set !== null && this.catchUp(db, range, entry.set)) continue
      entry.set = null
      await (entry.building ?? this.startBuild(db, range, entry))
      // A build that failed (the database closed under it) leaves nothing: build here, where an error reaches the caller.
      if (entry.set === null) entry.set = this.buildNow(db, range)
    }
  }

  /**
   * The signposts of a range, exact as of the caller's read transaction. Built
   * on the spot when there are none yet (a caller that did not await ready():
   * the command line, a test) or when they cannot be caught up.
   */
  current(db: Database, range: KeyRange): SignpostSet {
    const entry = this.entry(range)
    if (entry.set === null || !this.catchUp(db, range, entry.set)) entry.set = this.buildNow(db, range)
    const set = entry.set
    // Many changes since the build: a fresh walk in the background, while this one keeps answering exactly.
    if (set.applied > this.rebuildAfter && entry.building === null) void this.startBuild(db, range, entry)
    return set
  }

  /** Resolves when no build is under way (tests and the benchmark wait on it). */
  async settled(): Promise<void> {
    for (;;) {
      const builds = [...this.entries.values()].map((entry) => entry.building).filter((build) => build !== null)
      if (builds.length === 0) return
      await Promise.all(builds)
    }
  }

  /** Forgets every signpost; builds under way are dropped when they next wake. */
  clear(): void {
    this.generation++
    this.entries.clear()
  }

  private entry(range: KeyRange): Entry {
    const key = rangeKey(range)
    let entry = this.entries.get(key)
    if (!entry) this.entries.set(key, (entry = { set: null, building: null }))
    return entry
  }

  /**
   * Applies the log's changes since the set's last one; false when it cannot
   * (a reset, or the log no longer holds them): then it must be built again.
   */
  private catchUp(db: Database, range: KeyRange, set: SignpostSet): boolean {
    const window = keyChangesRepo.keyChangeWindow(db)
    if (window.last === set.seen) return true
    if (window.first > set.seen + 1) return false
    for (let after = set.seen; after < window.last; ) {
      const changes = keyChangesRepo.keyChangesAfter(db, after, CATCH_UP_BATCH)
      if (changes.length === 0) break
      for (const change of changes) {
        if (change.kind === 'reset') return false
        for (const move of movesIn(range, change)) set.move(move)
      }
      after = set.seen = changes[changes.length - 1]!.id
    }
    return true
  }

  private startBuild(db: Database, range: KeyRange, entry: Entry): Promise<void> {
    const generation = this.generation
    const build = this.buildInSlices(db, range)
      .then((set) => {
        if (set !== null && generation === this.generation) entry.set = set
      })
      // A background build never rejects: the previous signposts (or the next caller's own build) stand in.
      .catch(() => undefined)
      .finally(() => {
        entry.building = null
      })
    entry.building = build
    return build
  }

  /** The whole walk in one read transaction: exact, for callers that cannot wait (and small directories). */
  private buildNow(db: Database, range: KeyRange): SignpostSet {
    return db.transaction(() => {
      const seen = keyChangesRepo.keyChangeWindow(db).last
      const keys: SortKey[] = []
      for (let key = listingRepo.keyAfter(db, range, START, 0); key !== null; key = listingRepo.keyAfter(db, range, key, this.every)) keys.push(key)
      return this.finish(db, range, keys, seen)
    })()
  }

  /**
   * The same walk in slices, each slice in a read transaction of its own,
   * yielding to the event loop between them. A change committed between two
   * slices is already counted or not depending on which side of the walk its
   * key is: below the last signpost reached, the walk has passed it, and the
   * change is applied to the finished set; above it, the walk sees it. Null
   * when the database closed meanwhile.
   */
  private async buildInSlices(db: Database, range: KeyRange): Promise<SignpostSet | null> {
    const keys: SortKey[] = []
    const missed: KeyMove[] = []
    let frontier = START
    let seen = -1
    let next: SortKey | null = START
    let set: SignpostSet | null = null
    while (set === null) {
      if (seen >= 0) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!db.open) return null
      }
      const sliceEnds = performance.now() + this.sliceMs
      const outcome = db.transaction((): 'reset' | 'ok' => {
        const window = keyChangesRepo.keyChangeWindow(db)
        if (seen >= 0 && window.last !== seen) {
          // Fell behind the log while waiting for the next slice: start over.
          if (window.first > seen + 1) return 'reset'
          for (let after = seen; after < window.last; ) {
            const changes = keyChangesRepo.keyChangesAfter(db, after, CATCH_UP_BATCH)
            if (changes.length === 0) break
            for (const change of changes) {
              if (change.kind === 'reset') return 'reset'
              for (const move of movesIn(range, change)) if (compareKeys(move.key, frontier) < 0) missed.push(move)
            }
            after = changes[changes.length - 1]!.id
          }
        }
        seen = window.last
        while (next !== null) {
          next = listingRepo.keyAfter(db, range, next, keys.length === 0 ? 0 : this.every)
          if (next === null) break
          keys.push(next)
          frontier = next
          if (performance.now() >= sliceEnds) return 'ok'
        }
        set = this.finish(db, range, keys, seen)
        return 'ok'
      })()
      if (outcome === 'reset') return this.buildInSlices(db, range)
    }
    const finished = set as SignpostSet
    for (const move of missed) finished.move(move)
    finished.applied = 0
    return finished
  }

  private finish(db: Database, range: KeyRange, keys: SortKey[], seen: number): SignpostSet {
    const last = keys[keys.length - 1]
    const count = last === undefined ? 0 : (keys.length - 1) * this.every + listingRepo.countKeysFrom(db, range, last, this.every)
    return new SignpostSet(keys, this.every, count, seen)
  }
}

/**
 * The sort key of row `position` (0-based, ascending) of a range: from the
 * last signpost at or before it, a few steps. Null past the end.
 */
export function keyAtPosition(db: Database, range: KeyRange, signposts: SignpostSet, position: number): SortKey | null {
  const { key, skip } = signposts.floor(position)
  return listingRepo.keyAfter(db, range, key, skip)
}

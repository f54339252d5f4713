// Signposts for jumping to any row of the Users table without OFFSET: every
// Nth sort key of an index range, so that row k is found by seeking to
// signpost floor(k / N) and stepping at most N - 1 index entries.
//
// They are built lazily, on the first jump into a range, by a chain of such
// bounded steps (one index walk in total: about 40 ms for a million users by
// name, 70 ms for two merged classes, on the 2-core bench machine). The build
// runs in slices of a few milliseconds between turns of the event loop, so the
// main process never stalls on it; the first jump waits for it, later ones do
// not. A write anywhere (see changeStamp) makes the signposts stale: the next
// jump still answers from them, at most off by the number of users inserted,
// deleted or moved since, and starts a rebuild behind it.
import type { Database } from '../../db/connection'
import * as listingRepo from '../../db/listing-repo'
import type { KeyRange, SortKey } from '../../db/listing-repo'

/** Rows between signposts: a jump steps through at most SIGNPOST_EVERY - 1 index entries (about 25 µs by name). */
export const SIGNPOST_EVERY = 1024
/** The longest a build holds the event loop before it yields. */
const SLICE_MS = 4

export interface SignpostSet {
  /** keys[j] is the sort key of row j * every of the range, ascending. */
  keys: readonly SortKey[]
  every: number
  /** Rows in the range when the signposts were built. */
  count: number
  /** changeStamp when the build started: another stamp means they may be off. */
  stamp: string
}

interface Entry {
  set: SignpostSet | null
  building: Promise<void> | null
}

/** Ranges are cached by what they hold, not by direction: a descending list reads the same signposts from the other end. */
export function rangeKey(range: KeyRange): string {
  return `${range.order}|${range.role ?? '*'}|${range.twoFactorClasses?.join('+') ?? '*'}`
}

export class JumpSignposts {
  private readonly entries = new Map<string, Entry>()
  private generation = 0

  constructor(
    private readonly every = SIGNPOST_EVERY,
    private readonly sliceMs = SLICE_MS
  ) {}

  /**
   * The signposts of each range, built first if there are none yet (without
   * blocking the event loop); stale ones are returned as they are and rebuilt
   * behind the answer.
   */
  async ready(db: Database, ranges: readonly KeyRange[]): Promise<void> {
    const stamp = listingRepo.changeStamp(db)
    for (const range of ranges) {
      const entry = this.entry(range)
      if (entry.set?.stamp === stamp) continue
      const build = entry.building ?? this.startBuild(db, range, entry)
      if (entry.set !== null) continue
      await build
      // A build that failed (the database closed under it) leaves nothing: build here, where an error reaches the caller.
      if (entry.set === null) entry.set = this.buildNow(db, range)
    }
  }

  /**
   * The signposts of a range as they are now. With none yet (a caller that did
   * not await ready(): the command line, a test), they are built on the spot.
   */
  current(db: Database, range: KeyRange): SignpostSet {
    const entry = this.entry(range)
    if (entry.set === null) entry.set = this.buildNow(db, range)
    else if (entry.set.stamp !== listingRepo.changeStamp(db) && entry.building === null) void this.startBuild(db, range, entry)
    return entry.set
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

  private buildNow(db: Database, range: KeyRange): SignpostSet {
    const stamp = listingRepo.changeStamp(db)
    const keys: SortKey[] = []
    for (let key = listingRepo.keyAfter(db, range, START, 0); key !== null; key = listingRepo.keyAfter(db, range, key, this.every)) keys.push(key)
    return this.finish(db, range, keys, stamp)
  }

  /** The same chain, yielding to the event loop every few milliseconds; null when the database closed meanwhile. */
  private async buildInSlices(db: Database, range: KeyRange): Promise<SignpostSet | null> {
    const stamp = listingRepo.changeStamp(db)
    const keys: SortKey[] = []
    let sliceEnds = performance.now() + this.sliceMs
    for (let key = listingRepo.keyAfter(db, range, START, 0); key !== null; ) {
      keys.push(key)
      if (performance.now() >= sliceEnds) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!db.open) return null
        sliceEnds = performance.now() + this.sliceMs
      }
      // Rows written between slices may be missed or counted: the stamp taken above marks the result stale then.
      key = listingRepo.keyAfter(db, range, key, this.every)
    }
    return this.finish(db, range, keys, stamp)
  }

  private finish(db: Database, range: KeyRange, keys: SortKey[], stamp: string): SignpostSet {
    const last = keys[keys.length - 1]
    const count = last === undefined ? 0 : (keys.length - 1) * this.every + listingRepo.countKeysFrom(db, range, last, this.every)
    return { keys, every: this.every, count, stamp }
  }
}

/** Before every key: '' sorts first in NOCASE order and ids start at 1. */
const START: SortKey = { text: '', id: 0 }

/**
 * The sort key of row `position` (0-based, ascending) of a range: from the
 * signpost below it, at most `every - 1` steps. Null past the end (stale
 * signposts after deletions).
 */
export function keyAtPosition(db: Database, range: KeyRange, signposts: SignpostSet, position: number): SortKey | null {
  const index = Math.min(Math.floor(position / signposts.every), signposts.keys.length - 1)
  const signpost = signposts.keys[index]
  if (signpost === undefined) return null
  // Bounded even when stale: a position past the last signpost steps at most one spacing further.
  const skip = Math.min(position - index * signposts.every, signposts.every - 1)
  return listingRepo.keyAfter(db, range, signpost, skip)
}

// The signposts of one range of the Users table: every Nth sort key with its
// exact position, kept exact as rows come and go (a Fenwick tree of the shifts,
// so one change costs O(log n)). Built and brought up to date by jump-signposts.ts.
import type { SortKey } from '../../db/listing-repo'
import { compareNoCase } from './keyset'

/** Before every key: '' sorts first in NOCASE order and ids start at 1. */
export const START: SortKey = { text: '', id: 0 }

export function compareKeys(a: SortKey, b: SortKey): number {
  return compareNoCase(a.text, b.text) || a.id - b.id
}

/** One key inserted into (+1) or deleted from (-1) a range. */
export interface KeyMove {
  key: SortKey
  delta: 1 | -1
}

/** Adds to every index from `from` on, and reads one index's total: the shifts of the signposts since they were built. */
class Shifts {
  private readonly tree: Int32Array
  constructor(readonly size: number) {
    this.tree = new Int32Array(size + 1)
  }
  addFrom(from: number, delta: number): void {
    for (let i = from + 1; i <= this.size; i += i & -i) this.tree[i]! += delta
  }
  at(index: number): number {
    let sum = 0
    for (let i = index + 1; i > 0; i -= i & -i) sum += this.tree[i]!
    return sum
  }
}

/**
 * The signposts of one range: keys[j] and its exact position (how many rows of
 * the range sort before it), the number of rows, and the last change of the
 * log they include.
 */
export class SignpostSet {
  private readonly shifts: Shifts
  /** Changes applied since the build. */
  applied = 0

  constructor(
    readonly keys: readonly SortKey[],
    /** The position of keys[j] when built: j * every. */
    readonly every: number,
    public count: number,
    public seen: number
  ) {
    this.shifts = new Shifts(keys.length)
  }

  position(index: number): number {
    return index * this.every + this.shifts.at(index)
  }

  /** A row inserted or deleted at `key`: the signposts after it move, and so does the count. */
  move({ key, delta }: KeyMove): void {
    // The first signpost whose key sorts after the moved one.
    let low = 0
    let high = this.keys.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (compareKeys(this.keys[mid]!, key) > 0) high = mid
      else low = mid + 1
    }
    if (low < this.keys.length) this.shifts.addFrom(low, delta)
    this.count += delta
    this.applied++
  }

  /** The last signpost at or before `position` (START at 0 when none), and how far past it the row is. */
  floor(position: number): { key: SortKey; skip: number } {
    let low = 0
    let high = this.keys.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.position(mid) <= position) low = mid + 1
      else high = mid
    }
    if (low === 0) return { key: START, skip: position }
    return { key: this.keys[low - 1]!, skip: position - this.position(low - 1) }
  }
}


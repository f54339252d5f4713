// The Users table sorted by a time of the optional columns (TIME_SORT_KEYS):
// two parts read by keyset one after the other, in either direction: the
// users who have the time, by (time, id), then those who have none, by id
// (SQL in db/time-order-repo.ts). The cursor's group says which part it is in
// ('set' or 'unset') and its text is the time. Such lists jump to a position
// by stepping from the start: the signposts know only names, emails, roles
// and classes (docs/PERFORMANCE.md).
import type { TimeSortKey, UserSortKey } from '../../../shared/domain'
import { TIME_SORT_KEYS } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import * as timeOrderRepo from '../../db/time-order-repo'
import type { UserRecord } from '../../db/users-repo'
import { isLocked } from '../lockout-rule'
import type { ArmSource } from './keyset'
import type { CursorPosition, ListRequest } from './list-request'

export const TIME_GROUPS = ['set', 'unset'] as const

export function isTimeSort(sort: UserSortKey): sort is TimeSortKey {
  return (TIME_SORT_KEYS as readonly string[]).includes(sort)
}

/** A user's time in a time order, or null when they have none (as TIME_ORDER_SQL's `present` says). */
export function timeOf(sort: TimeSortKey, user: UserRecord, now: number): number | null {
  switch (sort) {
    case 'lastTwoFactorLogin':
      return user.lastTwoFactorLoginAt
    case 'activeSince':
      return user.activeSince
    case 'enforcedSince':
      return user.enforcement === 'enforced' ? user.enforcementAt : null
    case 'lockedUntil':
      return isLocked(user, now) ? user.lockedUntil : null
  }
}

export function timeCursor(sort: TimeSortKey, user: UserRecord, now: number): CursorPosition {
  const time = timeOf(sort, user, now)
  return time === null ? { group: 'unset', text: '', id: user.id } : { group: 'set', text: String(time), id: user.id }
}

/** Below this share of the directory, a list's classes are read from their class index and sorted by the time. */
const GATHER_SHARE = 0.1

/** Whether the list's classes hold few users: walking the time's index would pass over the many others. */
export function fewInClasses(source: ArmSource): boolean {
  const classes = source.filter.classes
  if (classes === null || source.counts === undefined) return false
  let all = 0
  for (const users of source.counts.values()) all += users
  let held = 0
  for (const twoFactor of classes) held += source.counts.get(twoFactor) ?? 0
  return held < all * GATHER_SHARE
}

/** Up to `wanted` users after the cursor (from the start when null). */
export function seekTimePage(db: Database, request: ListRequest & { sort: TimeSortKey }, source: ArmSource, after: CursorPosition | null, wanted: number): UserRecord[] {
  const rows: UserRecord[] = []
  for (const present of [true, false]) {
    const part = present ? 'set' : 'unset'
    // The part before the cursor's is done; the cursor's own resumes after its row.
    if (after !== null && present && after.group === 'unset') continue
    const resume = after !== null && after.group === part ? { after: { value: present ? Number(after.text) : 0, id: after.id } } : {}
    rows.push(
      ...timeOrderRepo.seekUsersByTime(db, {
        order: request.sort,
        direction: request.direction,
        present,
        filter: source.filter,
        limit: wanted - rows.length,
        now: request.now,
        gather: fewInClasses(source),
        ...resume
      })
    )
    if (rows.length >= wanted) break
  }
  return rows
}

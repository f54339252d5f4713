// The 2FA distribution, recorded once per UTC day for the trend on Account >
// Security: one row a day, written again by each later recording of the same
// day (the last one wins), and the days older than HISTORY_MAX_DAYS forgotten.
// Recorded at each enforcement change (in its transaction: recordDistributionPoint),
// and otherwise when someone looks (the Security overview, the history) or the
// timer of a host that stays open ticks (schedule.ts): then only when the day
// has no row yet or the distribution moved since, so looking writes nothing new.
import { HISTORY_MAX_DAYS, type DistributionPoint } from '../../../shared/contract/history'
import { DAY_MS, type Distribution } from '../../../shared/domain'
import { writeRefusal, writeTransaction } from '../../db/connection'
import * as historyRepo from '../../db/history-repo'
import type { DistributionRecord } from '../../db/history-repo'
import type { CoreContext } from '../context'
import { readEnforcementPolicy } from '../enforcement/policy'
import { twoFactorDistribution } from '../listing/user-listing'

/** The UTC day of an instant: days since 1970-01-01. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS)
}

/** YYYY-MM-DD of a day number. */
export function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** The distribution Account > Security shows now. */
function currentDistribution(ctx: CoreContext, now: number): Distribution {
  return twoFactorDistribution(ctx.db, readEnforcementPolicy(ctx.db), now)
}

function recordOf(distribution: Distribution, now: number): DistributionRecord {
  return {
    day: utcDay(now),
    recordedAt: now,
    total: distribution.total,
    active: distribution.active,
    pending: distribution.pending,
    inactive: distribution.inactive,
    // Counted since groups and deadlines came (migration 8); a distribution without it records none.
    overdue: typeof distribution.overdue === 'number' ? distribution.overdue : null
  }
}

const sameCounts = (a: DistributionRecord, b: DistributionRecord): boolean =>
  a.total === b.total && a.active === b.active && a.pending === b.pending && a.inactive === b.inactive && a.overdue === b.overdue

/**
 * Records today's distribution as it is now, replacing an earlier recording of the
 * same day. Call it inside the write transaction of every enforcement change (for
 * all users, for a group, of a deadline), after the change: the row then agrees with it.
 */
export function recordDistributionPoint(ctx: CoreContext, now: number = ctx.clock.now()): void {
  writeTransaction(ctx.db, () => {
    historyRepo.upsertDistribution(ctx.db, recordOf(currentDistribution(ctx, now), now))
    historyRepo.pruneDistributions(ctx.db, utcDay(now) - HISTORY_MAX_DAYS + 1)
  })
}

/**
 * Records today's distribution when the day has no row yet or the counts moved since
 * its last recording; otherwise writes nothing. For reads and the timer: a failure
 * (a directory that refuses writes, a lock held too long) never fails the read.
 */
export function recordDistributionIfChanged(ctx: CoreContext, now: number = ctx.clock.now()): void {
  // Nor while a background task holds the write lock (the write gate): the change records its own point after.
  if (writeRefusal(ctx.db) !== null || ctx.writeGate.held) return
  try {
    const recorded = historyRepo.findDistribution(ctx.db, utcDay(now))
    if (recorded !== null && sameCounts(recorded, recordOf(currentDistribution(ctx, now), now))) return
    recordDistributionPoint(ctx, now)
  } catch (error) {
    ctx.reportUnexpected('recording the 2FA distribution', error)
  }
}

/** The recorded days from `fromDay` to `toDay`, oldest first, as the contract gives them. */
export function recordedPoints(ctx: CoreContext, fromDay: number, toDay: number): DistributionPoint[] {
  return historyRepo.listDistributions(ctx.db, fromDay, toDay).map((record) => ({
    day: dayText(record.day),
    total: record.total,
    active: record.active,
    pending: record.pending,
    inactive: record.inactive,
    overdue: record.overdue
  }))
}

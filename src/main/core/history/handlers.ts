// Progress over time: Account > Security's trend and `twofa-admin status --history`.
// Reading records today's distribution first when the day has none yet (or it
// moved since), so a directory only ever looked at still gets its points.
import type { HistoryApi } from '../../../shared/contract'
import { HISTORY_DEFAULT_DAYS } from '../../../shared/contract/history'
import { DAY_MS } from '../../../shared/domain'
import type { CoreContext } from '../context'
import { requireAdmin } from '../guards'
import type { HandlersFor } from '../handlers'
import { dayText, recordDistributionIfChanged, recordedPoints, utcDay } from './recorder'
import { enforcementDeadlines, enforcementEvents } from './timeline'

export function historyHandlers(ctx: CoreContext) {
  return {
    async getTwoFactorHistory(caller, input) {
      requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      recordDistributionIfChanged(ctx, now)
      const days = input.days ?? HISTORY_DEFAULT_DAYS
      const today = utcDay(now)
      const fromDay = today - days + 1
      const since = fromDay * DAY_MS
      // One read snapshot: the points, the events and the deadlines agree with each other.
      return ctx.db.transaction(() => ({
        from: dayText(fromDay),
        to: dayText(today),
        days,
        points: recordedPoints(ctx, fromDay, today),
        events: enforcementEvents(ctx, since, now),
        deadlines: enforcementDeadlines(ctx, since)
      }))()
    }
  } satisfies HandlersFor<HistoryApi>
}

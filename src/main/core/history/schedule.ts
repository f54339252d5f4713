// The daily recording in hosts that stay open (the desktop app, the preview:
// `recordDistributionHistory` in CoreOptions): a look every ten minutes, which
// writes only on a new UTC day or when the distribution moved since the day's
// last recording, so the row of each day holds about how the day ended.
import type { CoreContext } from '../context'
import { recordDistributionIfChanged } from './recorder'

/** How often the timer looks. */
const CHECK_EVERY_MS = 10 * 60_000

export function startHistorySchedule(ctx: CoreContext): () => void {
  const timer = setInterval(() => historyTick(ctx), CHECK_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/** One look (tests call it directly, with their clock). */
export function historyTick(ctx: CoreContext): void {
  recordDistributionIfChanged(ctx, ctx.clock.now())
}

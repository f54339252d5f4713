// The sync on a schedule while the app is open (every N minutes, set with the
// connection; off by default). Each run is audited like any other sync, a
// failed one too (with why), and waits the full interval before the next try.
import { writeTransaction } from '../../db/connection'
import { readConnection } from '../../db/directory-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import type { DirectorySyncRunner } from './sync-runner'

/** How often the schedule looks whether a sync is due. */
const CHECK_EVERY_MS = 30_000

export function startDirectorySchedule(ctx: CoreContext, runner: DirectorySyncRunner): () => void {
  const state = { lastAttempt: null as number | null }
  const timer = setInterval(() => void scheduleTick(ctx, runner, state), CHECK_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/** One look: syncs when the interval has passed since the last sync or attempt. Resolves when done (tests call it directly). */
export async function scheduleTick(ctx: CoreContext, runner: DirectorySyncRunner, state: { lastAttempt: number | null }): Promise<void> {
  const connection = readConnection(ctx.db)
  if (connection?.scheduleMinutes === null || connection === null || runner.running) return
  const now = ctx.clock.now()
  const since = Math.max(connection.lastSyncAt ?? connection.changedAt, state.lastAttempt ?? 0)
  if (now - since < connection.scheduleMinutes * 60_000) return
  state.lastAttempt = now
  try {
    const result = await runner.run({ actor: 'schedule', actorUserId: null, dryRun: false, allowMassDisable: false })
    // A sync that stopped before disabling too many users wrote nothing: say so in the log
    // (once no background task writes: the write gate).
    if (result.massDisable !== null) {
      const stopped = result.massDisable
      await ctx.writeGate.write(() =>
        writeTransaction(ctx.db, () => appendAudit(ctx.db, ctx.clock.now(), { actor: 'schedule', action: 'directory.synced', details: { applied: false, stopped: 'mass-disable', ...stopped } }))
      )
    }
  } catch (error) {
    try {
      await ctx.writeGate.write(() =>
        writeTransaction(ctx.db, () => appendAudit(ctx.db, ctx.clock.now(), { actor: 'schedule', action: 'directory.synced', details: { applied: false, error: (error as Error).message } }))
      )
    } catch (auditError) {
      ctx.reportUnexpected('scheduled directory sync', auditError)
    }
  }
}

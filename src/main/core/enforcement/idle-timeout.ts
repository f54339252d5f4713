// The idle timeout of signed-in sessions: how many minutes without a call end a
// session (5 to 60, 15 until an administrator sets it on Account > Security).
// Stored in the database's meta table, so every process that opens the
// directory (the app, the preview) applies the same one, read on each look-up.
import { AppError } from '../../../shared/errors'
import { DEFAULT_IDLE_TIMEOUT_MINUTES, MAX_IDLE_TIMEOUT_MINUTES, MIN_IDLE_TIMEOUT_MINUTES } from '../../../shared/limits'
import { writeTransaction, type Database } from '../../db/connection'
import { readMeta, writeMeta } from '../../db/meta-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { requireAdmin, requireRecentAuthentication } from '../guards'
import type { Caller } from '../caller'

const IDLE_TIMEOUT_KEY = 'idle_timeout_minutes'

export const IDLE_TIMEOUT_RANGE_MESSAGE = `The idle timeout is a whole number of minutes from ${MIN_IDLE_TIMEOUT_MINUTES} to ${MAX_IDLE_TIMEOUT_MINUTES}.`

export function isIdleTimeoutMinutes(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= MIN_IDLE_TIMEOUT_MINUTES && minutes <= MAX_IDLE_TIMEOUT_MINUTES
}

/** The minutes set for this directory; the default when none (or, written outside the app, nothing valid) is stored. */
export function readIdleTimeoutMinutes(db: Database): number {
  const stored = Number(readMeta(db, IDLE_TIMEOUT_KEY) ?? NaN)
  return isIdleTimeoutMinutes(stored) ? stored : DEFAULT_IDLE_TIMEOUT_MINUTES
}

/** Sets the idle timeout (an administrator with a recent password or code, or the command line), audited with the old and new value. */
export function setIdleTimeout(ctx: CoreContext, caller: Caller, minutes: number): { idleTimeoutMinutes: number } {
  const actor = requireAdmin(ctx, caller)
  // The schema keeps the range; whole minutes are checked here, with the same words.
  if (!isIdleTimeoutMinutes(minutes)) throw new AppError('VALIDATION', IDLE_TIMEOUT_RANGE_MESSAGE, 'minutes')
  // A longer timeout weakens the protection of unattended screens: as sensitive as the other policy changes.
  requireRecentAuthentication(ctx, actor)
  const now = ctx.clock.now()
  writeTransaction(ctx.db, () => {
    const before = readIdleTimeoutMinutes(ctx.db)
    if (before === minutes) return
    writeMeta(ctx.db, IDLE_TIMEOUT_KEY, String(minutes))
    appendAudit(ctx.db, now, { actor: actor.label, action: 'settings.idle-timeout-changed', target: null, details: { from: before, to: minutes } })
  })
  return { idleTimeoutMinutes: minutes }
}

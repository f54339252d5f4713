// User import for the screens: the file's text goes to a background task (a
// worker thread in the desktop app and the preview) that reads, checks and
// applies it on a connection of its own, so the thread that answers the
// screens stays free; getImportProgress says how far it got. One import at a
// time per process.
import type { ImportProgress, UserImportApi } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { lastAuditEntry } from '../../db/audit-repo'
import { chainKeyOf } from '../audit/chain'
import type { CoreContext } from '../context'
import { requireAdmin, requireRecentAuthentication, stillAdminWhenWriting, type Actor } from '../guards'
import type { HandlersFor } from '../handlers'
import type { ImportOutcome } from './run-import'

/** The errors a screen receives: every one is counted (errorsTotal), the first thousand listed. */
const SCREEN_MAX_ERRORS = 1000

export function recentlyAuthenticated(ctx: CoreContext, actor: Actor): boolean {
  try {
    requireRecentAuthentication(ctx, actor)
    return true
  } catch {
    return false
  }
}

export function userImportHandlers(ctx: CoreContext) {
  let progress: ImportProgress = { running: false, phase: null, done: 0, total: 0 }
  return {
    async importUsers(caller, input) {
      const actor = requireAdmin(ctx, caller)
      if (progress.running) throw new AppError('VALIDATION', 'An import is already running. Wait until it finishes, then try again.')
      progress = { running: true, phase: 'reading', done: 0, total: 0 }
      const logBefore = lastAuditEntry(ctx.db)?.id ?? 0
      let outcome: ImportOutcome
      try {
        // One write transaction of every row, after the reading: the task takes the write gate for it
        // (TaskEnv.beforeWriting), so the screens' writes wait for it without blocking.
        outcome = await ctx.background.run(
          'importUsers',
          {
            csv: input.csv,
            chainKey: chainKeyOf(ctx.dataKey.get()).toString('base64'),
            options: {
              dryRun: input.dryRun,
              ignoreUnknownColumns: input.ignoreUnknownColumns ?? false,
              actor: { label: actor.label, userId: actor.userId, recentlyAuthenticated: recentlyAuthenticated(ctx, actor) },
              now: ctx.clock.now(),
              maxErrors: SCREEN_MAX_ERRORS
            }
          },
          ({ done, total }) => (progress = { running: true, phase: total === 0 ? 'reading' : 'applying', done, total }),
          undefined,
          stillAdminWhenWriting(ctx, caller)
        )
      } finally {
        progress = { running: false, phase: null, done: 0, total: 0 }
      }
      if (outcome.applied) ctx.afterBackgroundWrite(logBefore)
      // Refused only for want of a recent password or code: the screen asks for one and sends the file again.
      if (outcome.reauthRequired && !input.dryRun) requireRecentAuthentication(ctx, actor)
      const { reauthRequired: _reauth, ...result } = outcome
      return result
    },

    async getImportProgress(caller) {
      requireAdmin(ctx, caller)
      return progress
    }
  } satisfies HandlersFor<UserImportApi>
}

// Bulk changes: one action on many users, previewed with exact counts, then
// applied in one write transaction through the rules of the single changes
// (plan.ts, run.ts), with one audit entry per changed user. A change of many
// users at once always needs a recent re-authentication, whatever the action.
// A selection that may be large (a filter, or more than a few explicit users)
// is read and changed by the background task `bulkChange`, off the thread that
// answers the screens (in the calling thread on the command line).
import type { BulkApi, BulkCounts, BulkSelection } from '../../../shared/contract/bulk'
import { lastAuditEntry } from '../../db/audit-repo'
import { chainKeyOf } from '../audit/chain'
import type { Caller } from '../caller'
import type { CoreContext } from '../context'
import { requireAdmin, requireRecentAuthentication, stillAdminWhenWriting, type Actor } from '../guards'
import type { HandlersFor } from '../handlers'
import { recordDistributionPoint } from '../history/recorder'
import { instructionsOf } from './instructions'
import { runBulkChange, type BulkRunInput, type BulkRunOutcome } from './run'
import { bulkSummary } from './summary'

/** Explicit selections up to this size are read and changed in the calling thread: less than a worker's start costs. */
const IN_THREAD_USERS = 1_000

function isSmall(selection: BulkSelection): boolean {
  if ('userIds' in selection) return selection.userIds.length <= IN_THREAD_USERS
  if ('emails' in selection) return selection.emails.length <= IN_THREAD_USERS
  return false
}

async function run(ctx: CoreContext, input: BulkRunInput, caller: Caller): Promise<BulkRunOutcome> {
  if (isSmall(input.selection)) return runBulkChange(ctx.db, input)
  // A change takes the write gate as it begins (TaskEnv.beforeWriting): the screens' writes wait for it without blocking.
  const chainKey = input.write ? chainKeyOf(ctx.dataKey.get()).toString('base64') : null
  return ctx.background.run('bulkChange', { ...input, chainKey }, undefined, undefined, stillAdminWhenWriting(ctx, caller))
}

function runInput(actor: Actor, selection: BulkSelection, action: BulkRunInput['action'], now: number, write: boolean): BulkRunInput {
  return { selection, action, actor: { label: actor.label, userId: actor.userId }, now, write }
}

function withSummary(counts: BulkRunOutcome['counts'], tense: 'preview' | 'done'): BulkCounts {
  return { ...counts, summary: bulkSummary(counts, tense) }
}

export function bulkHandlers(ctx: CoreContext) {
  return {
    async previewBulkChange(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const outcome = await run(ctx, runInput(actor, input.selection, input.action, ctx.clock.now(), false), caller)
      return withSummary(outcome.counts, 'preview')
    },

    async applyBulkChange(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      const now = ctx.clock.now()
      const logBefore = lastAuditEntry(ctx.db)?.id ?? 0
      const expected = input.expectedChanges === undefined ? {} : { expectedChanges: input.expectedChanges }
      const outcome = await run(ctx, { ...runInput(actor, input.selection, input.action, now, true), ...expected }, caller)
      const changed = outcome.changedIds.length > 0
      // Written on the worker's connection: the audit anchor follows its entries.
      if (changed && !isSmall(input.selection)) ctx.afterBackgroundWrite(logBefore)
      // A disabled user's sessions end; so do those signed in with a device a reset removed.
      if (input.action === 'disable' || input.action === 'resetTwoFactor') for (const id of outcome.changedIds) ctx.sessions.deleteForUser(id)
      if (changed && input.action !== 'unlock' && input.action !== 'disable') recordDistributionPoint(ctx, now)
      return withSummary(outcome.counts, 'done')
    },

    async bulkInstructions(caller, input) {
      requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      // All users or a filter may be 100,000 rows to read: not on the thread that answers the screens.
      if (input.selection !== undefined && isSmall(input.selection)) return instructionsOf(ctx.db, input.selection, now)
      return ctx.background.run('bulkInstructions', { selection: input.selection, now })
    }
  } satisfies HandlersFor<BulkApi>
}

// Audit: one page of the log at a time (an index seek at any size), and the
// state of its chain. New entries are checked as they are noticed; a check of
// every entry runs as a background task, one walk at a time per process.
import type { AuditApi } from '../../../shared/contract'
import type { AuditChainStatus } from '../../../shared/domain'
import { listAuditEntries } from '../../db/audit-repo'
import type { CoreContext } from '../context'
import { requireAdmin } from '../guards'
import type { HandlersFor } from '../handlers'
import { DEFAULT_PAGE_SIZE } from '../listing/user-listing'
import { CHAIN_START, toAuditEntry } from './chain'
import { catchUp, chainKeying, chainStatus, recordCatchUpWalk, recordWholeWalk, verificationMark } from './verification'

type WalkKind = 'whole' | 'catch-up'

export function auditHandlers(ctx: CoreContext) {
  // The walk under way in this process, if any, and whether a whole walk was asked for meanwhile.
  let running: { kind: WalkKind; checked: number; total: number } | null = null
  let wholeAskedFor = false

  const startWalk = (kind: WalkKind): void => {
    if (running !== null) {
      // A catch-up under way covers only the new entries: the whole walk follows it.
      if (kind === 'whole' && running.kind === 'catch-up') wholeAskedFor = true
      return
    }
    const walk = { kind, checked: 0, total: 0 }
    running = walk
    const from = kind === 'whole' ? CHAIN_START : verificationMark(ctx.db)
    const keying = chainKeying(ctx)
    void ctx.background
      .run('verifyAuditChain', { from, key: keying.key?.toString('base64') ?? null, keyedFrom: keying.keyedFrom }, (progress) => {
        walk.checked = progress.done
        walk.total = progress.total
      })
      .then((result) =>
        // Recorded in a turn of its own at the write gate, not on the busy lock.
        ctx.writeGate.write(() => {
          // The directory may have been closed (quit, restore) while the worker walked.
          if (!ctx.db.open) return
          if (kind === 'whole') recordWholeWalk(ctx, result, result.total)
          else recordCatchUpWalk(ctx, result)
        })
      )
      .catch((error: unknown) => ctx.reportUnexpected('verifyAuditChain', error))
      .finally(() => {
        running = null
        if (wholeAskedFor && ctx.db.open) {
          wholeAskedFor = false
          startWalk('whole')
        }
      })
  }

  const status = (): AuditChainStatus => {
    const { pending } = catchUp(ctx)
    if (pending) startWalk('catch-up')
    return chainStatus(ctx.db, running === null ? null : { checked: running.checked, total: running.total })
  }

  return {
    async listAudit(caller, input) {
      requireAdmin(ctx, caller)
      const limit = input.limit ?? DEFAULT_PAGE_SIZE
      const records = listAuditEntries(ctx.db, { limit: limit + 1, user: input.user?.trim(), action: input.action, before: input.before })
      const page = records.slice(0, limit)
      const last = page[page.length - 1]
      return {
        entries: page.map(toAuditEntry),
        nextCursor: records.length > limit && last ? last.id : null,
        chain: status()
      }
    },

    async getAuditChainStatus(caller) {
      requireAdmin(ctx, caller)
      return status()
    },

    async verifyWholeAuditLog(caller) {
      requireAdmin(ctx, caller)
      startWalk('whole')
      return status()
    }
  } satisfies HandlersFor<AuditApi>
}

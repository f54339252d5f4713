// The command line's view of the audit log: `twofa-admin audit --verify`
// walks the whole chain once in this process, streaming, and records it;
// `twofa-admin export audit` streams the entries with their links.
import { auditEntriesAfter, type AuditRecord } from '../../db/audit-repo'
import type { CoreContext } from '../context'
import type { ChainWalk } from './chain'
import { auditEntryCount, chainKeying, recordWholeWalk, walkWholeChain } from './verification'

export type { AuditRecord } from '../../db/audit-repo'

/** Entries read per batch when streaming: constant memory, and no read transaction held open across the whole log. */
const STREAM_BATCH = 1_000

export function auditLocal(ctx: CoreContext) {
  return {
    /** Every entry at or after `since` (epoch ms), in chain order, with its links: for an offline copy an auditor can check. */
    async *streamAuditEntries(filter: { since?: number }): AsyncGenerator<AuditRecord> {
      let after = 0
      for (;;) {
        const batch = auditEntriesAfter(ctx.db, after, STREAM_BATCH)
        for (const entry of batch) if (filter.since === undefined || entry.at >= filter.since) yield entry
        const last = batch[batch.length - 1]
        if (last === undefined || batch.length < STREAM_BATCH) return
        after = last.id
      }
    },

    verifyWholeAuditLog(onProgress?: (checked: number, total: number) => void): ChainWalk & { entries: number } {
      const total = auditEntryCount(ctx.db)
      const walk = walkWholeChain(ctx.db, chainKeying(ctx), onProgress === undefined ? undefined : (checked) => onProgress(checked, total))
      return { ...recordWholeWalk(ctx, walk, total), entries: total }
    }
  }
}

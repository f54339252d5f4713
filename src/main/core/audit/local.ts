// The command line's view of the audit log: `twofa-admin audit --verify`
// walks the whole chain once in this process, streaming, and records it.
import type { CoreContext } from '../context'
import type { ChainWalk } from './chain'
import { auditEntryCount, chainKeying, recordWholeWalk, walkWholeChain } from './verification'

export function auditLocal(ctx: CoreContext) {
  return {
    verifyWholeAuditLog(onProgress?: (checked: number, total: number) => void): ChainWalk & { entries: number } {
      const total = auditEntryCount(ctx.db)
      const walk = walkWholeChain(ctx.db, chainKeying(ctx), onProgress === undefined ? undefined : (checked) => onProgress(checked, total))
      return { ...recordWholeWalk(ctx, walk, total), entries: total }
    }
  }
}

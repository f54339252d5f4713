// Moves the anchor (anchor.ts) to the newest entry of the log, as committed.
import { lastAuditEntry } from '../../db/audit-repo'
import type { CoreContext } from '../context'
import { advanceAnchor, anchorPath } from './anchor'
import { chainKeyOf, keyedFrom } from './chain'

export function anchorNewestEntry(ctx: CoreContext): void {
  const from = keyedFrom(ctx.db)
  const newest = lastAuditEntry(ctx.db)
  if (from === null || newest === null) return
  advanceAnchor(anchorPath(ctx.dbPath), chainKeyOf(ctx.dataKey.get()), { id: newest.id, hash: newest.hash, keyedFrom: from })
}

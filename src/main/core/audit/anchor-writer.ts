// Keeps the anchor (anchor.ts) at the newest entry of the log, as committed.
// It only ever moves forward an anchor that holds. One it finds forged,
// sealing another start of the keyed links, or naming an entry the log no
// longer holds as it was, is left as it is: that is the
// evidence the next look reports. One it finds missing is written anew only
// when that is recorded in the log: a new log's first entry, or an entry
// 'audit.anchor-created' (appended here when the deletion is noticed at a
// write, or by the look that noticed it).
import { writeTransaction } from '../../db/connection'
import { lastAuditEntry } from '../../db/audit-repo'
import type { CoreContext } from '../context'
import { anchorPath, readAnchor, writeAnchor } from './anchor'
import { moveOn } from './anchor-follow'
import { appendAudit, chainKeyOf, keyedFrom } from './chain'
import type { AuditAction } from '../../../shared/domain'

export class AnchorKeeper {
  /** An entry was appended since the anchor last moved. */
  private behind = false
  /** What was appended since lets a missing anchor be written anew without another entry. */
  private recorded = false

  constructor(private readonly ctx: CoreContext) {}

  /** Called for every entry appended on this connection (inside its transaction). */
  appended(action: AuditAction, began: boolean): void {
    this.behind = true
    if (began || action === 'audit.anchor-created') this.recorded = true
  }

  /**
   * Another connection of this process appended (a background import or sync) after entry
   * `logBefore`: the anchor follows as after a commit here. As for an append here, a missing anchor
   * is written anew unremarked only when those entries began the keyed log.
   */
  followOtherWrites(logBefore: number): void {
    this.behind = true
    const from = keyedFrom(this.ctx.db)
    if (from !== null && from > logBefore) this.recorded = true
    this.committed()
  }

  /** Called after every commit on this connection. */
  committed(): void {
    if (!this.behind) return
    this.behind = false
    const { ctx } = this
    const newest = lastAuditEntry(ctx.db)
    const from = keyedFrom(ctx.db)
    if (newest === null || from === null) return
    const key = chainKeyOf(ctx.dataKey.get())
    const path = anchorPath(ctx.dbPath)
    const read = readAnchor(path, key)
    if (read.kind === 'missing') {
      if (this.recorded) {
        this.recorded = false
        writeAnchor(path, key, { id: newest.id, hash: newest.hash, keyedFrom: from })
        return
      }
      // Deleted since it was last written: say so in the log; that commit writes it anew.
      writeTransaction(ctx.db, () =>
        appendAudit(ctx.db, ctx.clock.now(), { actor: 'system', action: 'audit.anchor-created', details: { entries: newest.id, reason: 'missing at a write' } })
      )
      return
    }
    this.recorded = false
    moveOn(ctx.db, path, key, read, newest, from)
  }
}

// Moving the audit anchor (anchor.ts) on to the newest entry, as one connection
// sees it after its commit: for the host's keeper (anchor-writer.ts) and for a
// background task that wrote on its own connection (background/tasks.ts). It
// needs no core context, so the tasks can use it without importing the core.
import type { Database } from '../../db/connection'
import { auditEntryHash, lastAuditEntry } from '../../db/audit-repo'
import { anchorPath, readAnchor, writeAnchor, type AnchorRead } from './anchor'
import { keyedFrom } from './chain'

/**
 * After a background task's commit on its own connection `db` (a bulk change, an import, a sync):
 * moves an anchor that holds on to the newest entry, as the task's connection sees it. The task does
 * it itself, so that the anchor follows also when the host closed while the task was writing (its
 * own follow-up, AnchorKeeper.followOtherWrites, then never runs). A missing or forged anchor is left
 * to the host's keeper and the next look, which record or report it.
 */
export function followAnchor(db: Database, dbPath: string, key: Buffer): void {
  const newest = lastAuditEntry(db)
  const from = keyedFrom(db)
  if (newest === null || from === null) return
  const path = anchorPath(dbPath)
  const read = readAnchor(path, key)
  if (read.kind === 'ok') moveOn(db, path, key, read, newest, from)
}

/** Moves an anchor that holds on to `newest`; leaves one that is forged, seals another start, or is already as new. */
export function moveOn(db: Database, path: string, key: Buffer, read: AnchorRead, newest: { id: number; hash: string }, from: number): void {
  if (read.kind !== 'ok' || read.anchor.keyedFrom !== from) return
  // Another process may have written a newer one.
  if (read.anchor.id >= newest.id) return
  // The entry it names must still be the one it sealed: else entries were cut and written anew
  // behind it, and moving it on would erase the evidence.
  if (auditEntryHash(db, read.anchor.id) !== read.anchor.hash) return
  writeAnchor(path, key, { id: newest.id, hash: newest.hash, keyedFrom: from })
}

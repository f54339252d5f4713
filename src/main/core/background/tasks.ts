// Work that grows with the directory or the audit log and must not run on the
// thread that answers the screens: each task opens its own read-only
// connection, reports how far it got, and returns a plain value. The same
// functions run in a worker thread (worker.ts, for the desktop app and the
// preview) or in the calling thread (the command line, which has no screen to
// keep answering): see runner.ts.
import { iterateAuditChain, lastAuditEntry } from '../../db/audit-repo'
import { countMatches, type ClassFilter, type SearchTerm } from '../../db/listing-repo'
import { listUserRecords, requestOf, type ListResult } from '../listing/user-listing'
import type { ListUsersInput } from '../../../shared/contract'
import { runIntegrityPragma } from '../../db/maintenance-repo'
import type { Database } from '../../db/connection'
import { keyAuditChain, walkChain, type ChainPoint, type ChainWalk } from '../audit/chain'
import { strayEntry, withIndexCheck } from '../audit/walk'
import { followAnchor } from '../audit/anchor-follow'
import { exportAuditTo, exportUsersTo, type AuditExportInput, type UsersExportInput } from '../export/write-export'
import { backupDatabase, type BackupResult } from '../maintenance/backup'
import { prepareRestore, type CheckedBackup } from '../maintenance/restore'
import { runImport, type ImportOptions, type ImportOutcome } from '../user-import/run-import'
import { testDirectory, type DirectorySettings } from '../directory-sync/ldap-directory'
import { runSync, type SyncOptions } from '../directory-sync/sync-run'
import type { DirectorySyncResult } from '../../../shared/contract'
import { runBulkChange, type BulkRunInput, type BulkRunOutcome } from '../bulk/run'
import { instructionsOf } from '../bulk/instructions'
import type { BulkInstructions, BulkSelection } from '../../../shared/contract/bulk'

export interface TaskEnv {
  /** A read-only connection of this task's own to the directory's file, closed when the task ends. */
  openDatabase(): Database
  /**
   * A connection that writes, for the tasks that change the directory in bulk (an import, a bulk
   * change, a sync): its writes queue on the busy timeout like any other process's.
   */
  openWritableDatabase(): Database
  /** How far the task got: `done` of `total` (total 0 when unknown). */
  progress(done: number, total: number): void
  /**
   * Resolves once the host holds its write gate for this task (core/write-gate.ts),
   * until the task ends: every task that writes calls it right before its write
   * transaction (after any long read: a CSV's rows, an LDAP directory), so the
   * screens' writes wait for it without blocking.
   */
  beforeWriting(): Promise<void>
}

/**
 * What a task that wrote returns, after it moved the audit anchor on to its entries (followAnchor):
 * also when the host closed while it wrote. The change is committed; an anchor it could not move
 * is the host's to follow (or the next look's to report), never the task's failure.
 */
function anchored<T>(db: Database, key: Buffer, outcome: T, wrote: boolean): T {
  if (!wrote) return outcome
  try {
    followAnchor(db, db.name, key)
  } catch {
    // The host's keeper follows when it is open (CoreContext.afterBackgroundWrite).
  }
  return outcome
}

export const TASKS = {
  /** A search's page whose matches must all be sorted (listing/search-page.ts): read here, not on the screens' thread. */
  listUsers(input: { input: ListUsersInput; now: number }, env: TaskEnv): ListResult {
    const db = env.openDatabase()
    return db.transaction(() => listUserRecords(db, { ...requestOf(db, input.input, input.now), sortAll: true }))()
  },

  /** The exact number of users a search and filter hold (listing/search-count.ts): the arms of the term's shape, counted. */
  countUsers(input: { term: SearchTerm; filter: ClassFilter }, env: TaskEnv): { total: number } {
    const db = env.openDatabase()
    return { total: db.transaction(() => countMatches(db, input.term, input.filter))() }
  },
  /** Walks the audit chain after `from` to the end of a consistent snapshot of the log. */
  /** `key`: the chain key in base64 (null when it is not at hand), `keyedFrom`: the first keyed link. */
  verifyAuditChain(input: { from: ChainPoint; key: string | null; keyedFrom: number | null }, env: TaskEnv): ChainWalk & { total: number } {
    const db = env.openDatabase()
    // One read transaction: the walk and its total see the same snapshot while others append.
    return db.transaction(() => {
      const total = (lastAuditEntry(db)?.id ?? 0) - input.from.id
      env.progress(0, total)
      const keying = { key: input.key === null ? null : Buffer.from(input.key, 'base64'), keyedFrom: input.keyedFrom }
      // A walk from the start also looks below id 1, where a walk in id order would not.
      const stray = input.from.id === 0 ? strayEntry(db) : null
      if (stray !== null) return { valid: false, checked: 0, last: input.from, brokenAt: stray.at, reason: stray.reason, total }
      const walked = walkChain(iterateAuditChain(db, input.from.id), input.from, keying, (checked) => env.progress(checked, total))
      const walk = input.from.id === 0 ? withIndexCheck(db, walked) : walked
      return { ...walk, total }
    })()
  },

  /** A checked online backup of the directory at `destination` (see maintenance/backup.ts). */
  backup(input: { destination: string; overwrite: boolean }, env: TaskEnv): Promise<BackupResult> {
    return backupDatabase(env.openDatabase(), input.destination, { overwrite: input.overwrite }, (done, total) => env.progress(done, total))
  },

  /** Copies a backup beside the live database and checks the copy (see maintenance/restore.ts); the live file is not touched. */
  checkBackup(input: { backupFile: string; livePath: string; keyCheck: string | null; chainKey: string | null }, env: TaskEnv): CheckedBackup {
    const options = { keyCheck: input.keyCheck, chainKey: input.chainKey === null ? null : Buffer.from(input.chainKey, 'base64') }
    const { backupFile, stagedPath, info } = prepareRestore(input.backupFile, input.livePath, options, (done, total) => env.progress(done, total))
    return { backupFile, stagedPath, info }
  },

  /**
   * A CSV import (user-import/run-import.ts) on a connection of its own, its audit entries keyed with
   * `chainKey` (base64). It moves the audit anchor on to its entries itself, and the host follows
   * (CoreContext.afterBackgroundWrite).
   */
  importUsers(input: { csv: string; options: Omit<ImportOptions, 'onProgress' | 'beforeWriting'>; chainKey: string }, env: TaskEnv): Promise<ImportOutcome> {
    const db = env.openWritableDatabase()
    const key = Buffer.from(input.chainKey, 'base64')
    keyAuditChain(db, { key: () => key, appended: () => {} })
    return runImport(db, textSource(input.csv), {
      ...input.options,
      onProgress: ({ done, total }) => env.progress(done, total),
      beforeWriting: () => env.beforeWriting()
    }).then((outcome) => anchored(db, key, outcome, outcome.applied))
  },

  /** A screen's export of users to a temporary file (see export/write-export.ts): the rows written. */
  exportUsers(input: UsersExportInput, env: TaskEnv): { rows: number } {
    return exportUsersTo(env.openDatabase(), input, (done, total) => env.progress(done, total))
  },

  /** A screen's export of audit entries to a temporary file: the rows written. */
  exportAudit(input: AuditExportInput, env: TaskEnv): { rows: number } {
    return exportAuditTo(env.openDatabase(), input, (done, total) => env.progress(done, total))
  },

  /** A directory sync (directory-sync/sync-run.ts) on a connection of its own, keyed like importUsers. */
  syncDirectory(input: { settings: DirectorySettings; options: Omit<SyncOptions, 'onProgress' | 'beforeWriting'>; chainKey: string }, env: TaskEnv): Promise<DirectorySyncResult> {
    const db = env.openWritableDatabase()
    const key = Buffer.from(input.chainKey, 'base64')
    keyAuditChain(db, { key: () => key, appended: () => {} })
    return runSync(db, input.settings, { ...input.options, onProgress: (done, total) => env.progress(done, total), beforeWriting: () => env.beforeWriting() }).then((result) =>
      anchored(db, key, result, result.applied)
    )
  },

  /**
   * A bulk change of the Users selection (bulk/run.ts), or its preview (`write` false, read-only):
   * a change writes on a connection of its own, keyed like importUsers, and moves the anchor as importUsers does.
   */
  async bulkChange(input: BulkRunInput & { chainKey: string | null }, env: TaskEnv): Promise<BulkRunOutcome> {
    const { chainKey, ...run } = input
    if (!run.write || chainKey === null) return runBulkChange(env.openDatabase(), { ...run, write: false })
    // It reads, decides and writes in one write transaction: the screens' writes wait on the gate meanwhile.
    await env.beforeWriting()
    const db = env.openWritableDatabase()
    const key = Buffer.from(chainKey, 'base64')
    keyAuditChain(db, { key: () => key, appended: () => {} })
    const outcome = runBulkChange(db, run)
    return anchored(db, key, outcome, outcome.changedIds.length > 0)
  },

  /** Copy instructions for a selection or all users (bulk/instructions.ts): the earliest deadline among them. */
  bulkInstructions(input: { selection: BulkSelection | undefined; now: number }, env: TaskEnv): BulkInstructions {
    return instructionsOf(env.openDatabase(), input.selection, input.now)
  },

  /** Binds and reads the whole directory once with these settings, changing nothing. */
  testDirectory(input: { settings: DirectorySettings }): Promise<{ entries: number; warnings: string[] }> {
    return testDirectory(input.settings)
  },

  /** SQLite's quick_check, or with `full` its integrity_check: the problems found (['ok'] when none). */
  integrityCheck(input: { full: boolean }, env: TaskEnv): { problems: string[] } {
    return { problems: runIntegrityPragma(env.openDatabase(), input.full) }
  }
}

export type TaskName = keyof typeof TASKS
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0]
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>

/** A string as the stream of text an import reads. */
async function* textSource(text: string): AsyncGenerator<string> {
  yield text
}

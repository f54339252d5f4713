// A sync from first page to last: the whole directory is read and staged (a
// temporary table of this connection), and only once the server has sent its
// last page is anything applied, in one write transaction. Any error of the
// directory (unreachable, a refused bind, the server gone mid-read) throws
// before the transaction: nothing changes. A sync that would disable more than
// the configured share of the directory's users stops unless allowed; a dry
// run is the real run, undone. The groups to bring in are applied in the same
// transaction, after the users (apply-groups.ts).
import type { DirectorySyncChange, DirectorySyncCounts, DirectorySyncProblem, DirectorySyncResult } from '../../../shared/contract'
import type { DirectorySyncGroupChange } from '../../../shared/contract/directory-sync'
import { dnKey } from '../../../shared/directory-dn'
import { writeTransaction, type Database } from '../../db/connection'
import * as directoryRepo from '../../db/directory-repo'
import { appendAudit } from '../audit/chain'
import { requireStillAdmin } from '../still-admin'
import { applyEntry, disableMissing, type SyncWork } from './apply-entry'
import { applyGroups } from './apply-groups'
import { findSyncGroups, readDirectory, type DirectoryEntry, type DirectorySettings } from './ldap-directory'

export interface SyncOptions {
  dryRun: boolean
  allowMassDisable: boolean
  /** The share of the directory's enabled users a sync may disable without being allowed to. */
  massDisablePercent: number
  /** Who runs it, for the audit log: an administrator's email, "cli", or "schedule". */
  actor: string
  /** The administrator's account when one asked for it (checked again under the write lock); null: the command line or the schedule. */
  actorUserId: number | null
  now: number
  /** Reading: entries read, total 0; applying: entries applied of all read. */
  onProgress?: (done: number, total: number) => void
  /** Awaited after the read, right before the write transaction (TaskEnv.beforeWriting). */
  beforeWriting?: () => Promise<void>
}

const BATCH = 1000
const MAX_CHANGES_SHOWN = 500
const MAX_PROBLEMS = 1000

class Undo extends Error {}

export async function runSync(db: Database, settings: DirectorySettings, options: SyncOptions): Promise<DirectorySyncResult> {
  const progress = options.onProgress ?? (() => {})
  const errors: DirectorySyncProblem[] = []
  const problem = (found: DirectorySyncProblem): void => {
    if (errors.length < MAX_PROBLEMS) errors.push(found)
  }
  // Each of the groups to bring in by its key (a DN compares without case and spacing): its place in the list.
  const selection = new Map<string, number>()
  settings.syncGroupDns.forEach((dn, index) => {
    if (!selection.has(dnKey(dn))) selection.set(dnKey(dn), index)
  })
  const stageGroups = (entry: DirectoryEntry): void => {
    for (const value of entry.memberOf) {
      const index = selection.get(dnKey(value))
      if (index !== undefined) directoryRepo.stageMembership(db, index, entry.id)
    }
    if (!entry.memberOfComplete) {
      directoryRepo.stageMembership(db, directoryRepo.GROUPS_NOT_KNOWN, entry.id)
      problem({ dn: entry.dn, message: `The directory sent the groups (memberOf) of ${entry.dn} in parts: they are only added to, never taken from, until it sends them whole.` })
    }
  }
  directoryRepo.beginEntryStaging(db)
  try {
    // 1. Read everything first. An error here leaves the directory of this app as it was.
    const groupsFound = await findSyncGroups(settings)
    let entries = 0
    for await (const page of readDirectory(settings, (read) => progress(read, 0))) {
      for (const entry of page.entries) {
        entries++
        const staged = directoryRepo.stageEntry(db, { directoryId: entry.id, dn: entry.dn, login: entry.login, email: entry.email, name: entry.name, disabled: entry.disabled })
        if (!staged) problem({ dn: entry.dn, message: `Another entry has the same id (${entry.id}): only the first was read.` })
        else if (selection.size > 0) stageGroups(entry)
      }
      for (const skipped of page.problems) problem(skipped)
    }

    // 2. Apply, all in one transaction.
    const counts: DirectorySyncCounts = { created: 0, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 }
    let groups: DirectorySyncGroupChange[] = []
    const changes: DirectorySyncChange[] = []
    const work: SyncWork = {
      db,
      actor: options.actor,
      now: options.now,
      counts,
      problem,
      change: (change) => {
        if (changes.length < MAX_CHANGES_SHOWN) changes.push(change)
      }
    }
    let massDisable: DirectorySyncResult['massDisable'] = null
    let applied = false
    await options.beforeWriting?.()
    try {
      writeTransaction(db, () => {
        requireStillAdmin(db, options.actorUserId)
        const synced = directoryRepo.countEnabledDirectoryUsers(db)
        let done = 0
        for (let batch = directoryRepo.stagedEntriesAfter(db, 0, BATCH); batch.length > 0; ) {
          for (const entry of batch) applyEntry(work, entry)
          done += batch.length
          progress(done, entries)
          const last = batch[batch.length - 1]
          batch = last === undefined ? [] : directoryRepo.stagedEntriesAfter(db, last.seq, BATCH)
        }
        for (let missing = directoryRepo.missingDirectoryUsersAfter(db, 0, BATCH); missing.length > 0; ) {
          for (const user of missing) disableMissing(work, user)
          const last = missing[missing.length - 1]
          missing = last === undefined ? [] : directoryRepo.missingDirectoryUsersAfter(db, last.id, BATCH)
        }
        groups = applyGroups(work, settings.syncGroupDns, groupsFound)
        // An empty answer, a wrong filter or a moved base DN looks like "everyone left": ask first.
        if (synced > 0 && counts.disabled * 100 > synced * options.massDisablePercent && !options.allowMassDisable) {
          massDisable = { wouldDisable: counts.disabled, synced, limitPercent: options.massDisablePercent }
          throw new Undo()
        }
        appendAudit(db, options.now, { actor: options.actor, action: 'directory.synced', details: { entries, ...counts, problems: errors.length } })
        directoryRepo.recordSync(db, options.now, JSON.stringify(counts))
        if (options.dryRun) throw new Undo()
        applied = true
      })
    } catch (error) {
      if (!(error instanceof Undo)) throw error
    }
    return { applied, dryRun: options.dryRun, entries, ...counts, errors, changes, groups, massDisable }
  } finally {
    directoryRepo.endEntryStaging(db)
  }
}

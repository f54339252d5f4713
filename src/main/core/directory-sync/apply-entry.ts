// One directory entry applied to the users of this app, inside the sync's
// transaction: created (source ldap, no password of ours), or its email, name
// and DN followed, and its access following the directory's (disabled there:
// disabled here; back: re-enabled, but only if a sync had disabled them).
// Local users (made here, on the command line or by an import) are never
// touched; the last active administrator is never disabled.
import type { DirectorySyncChange, DirectorySyncCounts, DirectorySyncProblem } from '../../../shared/contract'
import type { Database } from '../../db/connection'
import * as directoryRepo from '../../db/directory-repo'
import type { StagedEntry } from '../../db/directory-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { emailSchema, nameSchema } from '../../../shared/schemas/fields'
import { appendAudit } from '../audit/chain'

function firstIssue(error: { issues: readonly { message: string }[] }): string {
  return error.issues[0]?.message ?? 'it is not valid.'
}

export interface SyncWork {
  db: Database
  actor: string
  now: number
  counts: DirectorySyncCounts
  problem: (problem: DirectorySyncProblem) => void
  change: (change: DirectorySyncChange) => void
}

export function applyEntry(work: SyncWork, staged: StagedEntry): void {
  let entry = staged
  const { db, counts } = work
  if (entry.email === null) {
    work.problem({ dn: entry.dn, message: `${entry.login} has no email address in the directory: add one there; until then they are not brought in.` })
    return
  }
  // The app's own rules for an email and a name (one @, no control characters...): what the directory holds is input too.
  const parsedEmail = emailSchema.safeParse(entry.email)
  if (!parsedEmail.success) {
    work.problem({ dn: entry.dn, message: `${entry.login} has the email address "${entry.email}" in the directory, which this app cannot keep: ${firstIssue(parsedEmail.error)} Correct it there; until then nothing changes for them here.` })
    return
  }
  const parsedName = nameSchema.safeParse(entry.name)
  if (!parsedName.success) {
    work.problem({ dn: entry.dn, message: `${entry.login} has a name in the directory that this app cannot keep: ${firstIssue(parsedName.error)} Correct it there; until then nothing changes for them here.` })
    return
  }
  const email = parsedEmail.data
  entry = { ...entry, name: parsedName.data }
  let user = directoryRepo.findUserByDirectoryId(db, entry.directoryId)
  const holder = usersRepo.findUserByEmail(db, email)
  if (user === null && holder !== null) {
    if (holder.source !== 'ldap') {
      work.problem({ dn: entry.dn, message: `${email} is already a user of this app, not one from the directory: a sync never changes such users. Rename or remove one of the two.` })
      return
    }
    // The same person's entry made anew in the directory (a new id): theirs all the same.
    user = holder
  } else if (user !== null && holder !== null && holder.id !== user.id) {
    work.problem({ dn: entry.dn, message: `${user.email} changed their email in the directory to ${email}, which another user here already has. Nothing was changed for them.` })
    return
  }
  if (user === null) {
    const id = usersRepo.insertUser(db, {
      name: entry.name,
      email,
      role: 'user',
      passwordHash: null,
      now: work.now,
      source: 'ldap',
      directoryDn: entry.dn,
      directoryId: entry.directoryId
    })
    if (entry.disabled) directoryRepo.setDirectoryAccess(db, id, true, work.now)
    appendAudit(db, work.now, { actor: work.actor, action: 'user.created', target: email, details: { role: 'user', source: 'ldap', dn: entry.dn, ...(entry.disabled ? { disabled: true } : {}) } })
    counts.created++
    work.change({ email, kind: 'create', detail: entry.disabled ? `${entry.name}, disabled in the directory` : entry.name })
    return
  }
  updateFromEntry(work, user, entry, email)
}

function updateFromEntry(work: SyncWork, user: UserRecord, entry: StagedEntry, email: string): void {
  const { db, counts } = work
  const details: Record<string, unknown> = { source: 'ldap' }
  const words: string[] = []
  if (email !== user.email) {
    details.email = email
    words.push(`email ${user.email} → ${email}`)
  }
  if (entry.name !== user.name) {
    details.name = entry.name
    words.push(`name ${user.name} → ${entry.name}`)
  }
  if (entry.dn !== user.directoryDn || entry.directoryId !== user.directoryId) details.dn = entry.dn
  const identityChanged = Object.keys(details).length > 1
  if (identityChanged) directoryRepo.updateDirectoryIdentity(db, user.id, { email, name: entry.name, directoryDn: entry.dn, directoryId: entry.directoryId }, work.now)

  let kind: DirectorySyncChange['kind'] = 'update'
  if (entry.disabled && !user.disabled) {
    if (disableOrKeep(work, user, entry.dn)) {
      details.disabled = true
      details.reason = 'disabled in the directory'
      kind = 'disable'
      words.push('disabled in the directory')
    }
  } else if (!entry.disabled && user.disabled && user.directoryDisabled) {
    directoryRepo.setDirectoryAccess(db, user.id, false, work.now)
    details.disabled = false
    kind = 'reenable'
    words.push('back in the directory')
  }
  if (!identityChanged && kind === 'update') {
    counts.unchanged++
    return
  }
  appendAudit(db, work.now, { actor: work.actor, action: 'user.updated', target: email, details })
  if (kind === 'disable') counts.disabled++
  else if (kind === 'reenable') counts.reenabled++
  else counts.updated++
  work.change({ email, kind, detail: words.join(', ') || 'directory entry moved' })
}

/** Disables a directory user, unless they are the last active administrator; true when disabled. */
function disableOrKeep(work: SyncWork, user: UserRecord, dn: string): boolean {
  if (user.role === 'admin' && !user.disabled && usersRepo.countActiveAdmins(work.db) <= 1) {
    work.problem({ dn, message: `${user.email} is the last active administrator: kept enabled. Make another user an administrator, then sync again.` })
    return false
  }
  directoryRepo.setDirectoryAccess(work.db, user.id, true, work.now)
  return true
}

/** A directory user the read no longer holds: disabled (never deleted: their 2FA stays for when they come back). */
export function disableMissing(work: SyncWork, user: UserRecord): void {
  if (!disableOrKeep(work, user, user.directoryDn ?? user.email)) return
  appendAudit(work.db, work.now, { actor: work.actor, action: 'user.updated', target: user.email, details: { source: 'ldap', disabled: true, reason: 'not in the directory' } })
  work.counts.disabled++
  work.change({ email: user.email, kind: 'disable', detail: 'no longer in the directory' })
}

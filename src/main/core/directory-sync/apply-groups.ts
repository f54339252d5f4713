// The groups to bring in, applied inside the sync's transaction once every
// entry is: each becomes (or stays) a group here with source 'ldap' and its DN,
// named after its first RDN, and its members become exactly the directory users
// whose memberOf (staged with the read) holds it. Membership changes go through
// group_members one row at a time, so the triggers keep every user's group set,
// class and the counts exact. Directory users the read does not hold (gone,
// disabled by this sync) keep their groups: the read says nothing of them.
// A group no longer among those to bring in is not looked at.
import type { DirectorySyncGroupChange } from '../../../shared/contract/directory-sync'
import { dnKey, firstRdnValue } from '../../../shared/directory-dn'
import { MAX_GROUP_NAME_LENGTH } from '../../../shared/schemas/groups'
import * as directoryRepo from '../../db/directory-repo'
import * as groupsRepo from '../../db/groups-repo'
import type { Database } from '../../db/connection'
import { appendAudit } from '../audit/chain'
import type { SyncWork } from './apply-entry'

const BATCH = 1000
const SUFFIX = ' (directory)'

/** The name of a new group for `dn`: its first RDN's value, or with " (directory)" (then a number) when a group has it. */
function nameFor(db: Database, dn: string): string {
  const base = (firstRdnValue(dn) ?? dn).trim().slice(0, MAX_GROUP_NAME_LENGTH - SUFFIX.length - 4)
  if (groupsRepo.findGroupByName(db, base) === null) return base
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}${SUFFIX}` : `${base} (directory ${n})`
    if (groupsRepo.findGroupByName(db, name) === null) return name
  }
}

/** Adds the missing members and takes out those the directory no longer puts in the group. */
function followMembers(db: Database, groupId: number, index: number): { added: number; removed: number } {
  let added = 0
  for (let batch = directoryRepo.membersToAddAfter(db, groupId, index, '', BATCH); batch.length > 0; ) {
    for (const { userId } of batch) if (groupsRepo.addMember(db, groupId, userId)) added++
    const last = batch[batch.length - 1]
    batch = last === undefined ? [] : directoryRepo.membersToAddAfter(db, groupId, index, last.directoryId, BATCH)
  }
  let removed = 0
  for (let batch = directoryRepo.membersToRemoveAfter(db, groupId, index, 0, BATCH); batch.length > 0; ) {
    for (const userId of batch) if (groupsRepo.removeMember(db, groupId, userId)) removed++
    const last = batch[batch.length - 1]
    batch = last === undefined ? [] : directoryRepo.membersToRemoveAfter(db, groupId, index, last, BATCH)
  }
  return { added, removed }
}

/**
 * Applies the groups to bring in (`dns`, in their order); `found[i]` says whether the directory
 * has group i (a base search before the read). A group neither found nor in any memberOf read
 * is taken for a typo or a group the bind account cannot see: no group is made of it, and one
 * already made is left as it is (its members are not taken away on such an answer); the
 * result says so (notInDirectory), as the connection test does.
 */
export function applyGroups(work: SyncWork, dns: readonly string[], found: readonly boolean[]): DirectorySyncGroupChange[] {
  const { db, counts } = work
  const here = new Map<string, groupsRepo.GroupRecord>()
  for (const group of groupsRepo.listGroups(db)) {
    if (group.source === 'ldap' && group.directoryDn !== null && !here.has(dnKey(group.directoryDn))) here.set(dnKey(group.directoryDn), group)
  }
  return dns.map((dn, index): DirectorySyncGroupChange => {
    const existing = here.get(dnKey(dn)) ?? null
    // Said in the result's groups (notInDirectory), not among the entries' problems: it is the connection's to fix.
    if (found[index] !== true && directoryRepo.countStagedMembers(db, index) === 0) {
      return {
        dn,
        name: existing?.name ?? null,
        created: false,
        added: 0,
        removed: 0,
        members: existing === null ? 0 : directoryRepo.countGroupMembers(db, existing.id),
        notInDirectory: true
      }
    }
    const name = existing?.name ?? nameFor(db, dn)
    const groupId = existing?.id ?? groupsRepo.insertGroup(db, { name, source: 'ldap', directoryDn: dn, now: work.now })
    const { added, removed } = followMembers(db, groupId, index)
    if (existing === null) {
      counts.groupsCreated++
      appendAudit(db, work.now, { actor: work.actor, action: 'group.created', target: name, details: { source: 'ldap', dn, members: added } })
    } else if (added + removed > 0) {
      appendAudit(db, work.now, { actor: work.actor, action: 'group.members-changed', target: name, details: { source: 'ldap', added, removed } })
    }
    counts.membersAdded += added
    counts.membersRemoved += removed
    return { dn, name, created: existing === null, added, removed, members: directoryRepo.countGroupMembers(db, groupId), notInDirectory: false }
  })
}

// SQL of groups: the groups, their members, the group sets that say which
// combination of groups each user has (migration 8, kept by triggers on
// group_members), and a group's enforcement (one row, whatever its size).
import type { TwoFactorClass } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'

export interface GroupRecord {
  id: number
  name: string
  source: 'local' | 'ldap'
  directoryDn: string | null
  enforced: boolean
  deadline: number | null
  enforcedBy: string | null
  enforcedAt: number | null
  createdAt: number
}

interface GroupRow {
  id: number
  name: string
  source: string
  directory_dn: string | null
  enforced: number
  deadline: number | null
  enforced_by: string | null
  enforced_at: number | null
  created_at: number
}

const toRecord = (row: GroupRow): GroupRecord => ({
  id: row.id,
  name: row.name,
  source: row.source as GroupRecord['source'],
  directoryDn: row.directory_dn,
  enforced: row.enforced === 1,
  deadline: row.deadline,
  enforcedBy: row.enforced_by,
  enforcedAt: row.enforced_at,
  createdAt: row.created_at
})

/** Every group, by name. Groups are few next to users (hundreds, not millions). */
export function listGroups(db: Database): GroupRecord[] {
  return (statement(db, 'SELECT * FROM groups ORDER BY name COLLATE NOCASE, id').all() as GroupRow[]).map(toRecord)
}

export function findGroupById(db: Database, id: number): GroupRecord | null {
  const row = statement(db, 'SELECT * FROM groups WHERE id = ?').get(id) as GroupRow | undefined
  return row ? toRecord(row) : null
}

export function findGroupByName(db: Database, name: string): GroupRecord | null {
  const row = statement(db, 'SELECT * FROM groups WHERE name = ?').get(name) as GroupRow | undefined
  return row ? toRecord(row) : null
}

export function insertGroup(db: Database, group: { name: string; source?: 'local' | 'ldap'; directoryDn?: string | null; now: number }): number {
  return Number(
    statement(db, 'INSERT INTO groups (name, source, directory_dn, created_at) VALUES (@name, @source, @directoryDn, @now)').run({
      name: group.name,
      source: group.source ?? 'local',
      directoryDn: group.directoryDn ?? null,
      now: group.now
    }).lastInsertRowid
  )
}

/** Deletes the group; its memberships go with it (and the members' group sets follow, by trigger). */
export function deleteGroup(db: Database, id: number): void {
  statement(db, 'DELETE FROM groups WHERE id = ?').run(id)
}

/** Enforces (with a deadline) or revokes a group: one row, at any size. */
export function setGroupEnforcement(db: Database, id: number, enforcement: { deadline: number; by: string; now: number } | null): void {
  if (enforcement === null) {
    statement(db, 'UPDATE groups SET enforced = 0, deadline = NULL, enforced_by = NULL, enforced_at = NULL WHERE id = ?').run(id)
  } else {
    statement(db, 'UPDATE groups SET enforced = 1, deadline = @deadline, enforced_by = @by, enforced_at = @now WHERE id = @id').run({ id, ...enforcement })
  }
}

/** Adds a member; false when they already were one. */
export function addMember(db: Database, groupId: number, userId: number): boolean {
  return statement(db, 'INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)').run(groupId, userId).changes === 1
}

/** Removes a member; false when they were not one. */
export function removeMember(db: Database, groupId: number, userId: number): boolean {
  return statement(db, 'DELETE FROM group_members WHERE group_id = ? AND user_id = ?').run(groupId, userId).changes === 1
}

export function isMember(db: Database, groupId: number, userId: number): boolean {
  return statement(db, 'SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?)', { pluck: true }).get(groupId, userId) === 1
}

/** The group ids of a group set, ascending. */
export function groupIdsOfSet(db: Database, setId: number): number[] {
  return statement(db, 'SELECT group_id FROM group_set_groups WHERE set_id = ? ORDER BY group_id', { pluck: true }).all(setId) as number[]
}

/** The group sets that contain a group: how a group's members are found among the classes. */
export function setsWithGroup(db: Database, groupId: number): number[] {
  return statement(db, 'SELECT set_id FROM group_set_groups WHERE group_id = ?', { pluck: true }).all(groupId) as number[]
}

/** Every (set, group) pair of the sets some user has now, for the enforcement snapshot: bounded by combinations in use, not users. */
export function groupsOfSetsInUse(db: Database): { setId: number; groupId: number }[] {
  return statement(
    db,
    `SELECT g.set_id AS setId, g.group_id AS groupId FROM group_set_groups g
     WHERE g.set_id IN (SELECT DISTINCT CAST(substr(tfa_class, instr(tfa_class, '@') + 1) AS INTEGER) FROM class_counts WHERE users > 0 AND instr(tfa_class, '@') > 0)`
  ).all() as { setId: number; groupId: number }[]
}

/** Names of the given groups, by id. */
export function groupNames(db: Database): Map<number, string> {
  const rows = statement(db, 'SELECT id, name FROM groups').all() as { id: number; name: string }[]
  return new Map(rows.map((row) => [row.id, row.name]))
}

/** Member ids of a group, a page at a time after `afterId`. */
export function memberIdsPage(db: Database, groupId: number, afterId: number, limit: number): number[] {
  return statement(db, 'SELECT user_id FROM group_members WHERE group_id = ? AND user_id > ? ORDER BY user_id LIMIT ?', { pluck: true }).all(
    groupId,
    afterId,
    limit
  ) as number[]
}

/**
 * Users of the given classes still in the grace period of an individual enforcement at `now`:
 * a sum over individual_deadline_counts (migration 8), one row per class and deadline, never a count of users.
 */
export function countIndividualInGrace(db: Database, classes: readonly TwoFactorClass[], now: number): number {
  if (classes.length === 0) return 0
  return statement(
    db,
    `SELECT coalesce(sum(users), 0) FROM individual_deadline_counts
     WHERE tfa_class IN (SELECT value FROM json_each(@classes)) AND deadline > @now`,
    { pluck: true }
  ).get({ now, classes: JSON.stringify(classes) }) as number
}

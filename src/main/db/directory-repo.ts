// SQL of the directory sync: the one connection row (its bind password
// sealed by the core), the entries of a read staged in a temporary table of
// the syncing connection, and the directory users a sync manages.
import type { Database } from './sqlite'
import { statement } from './statements'
import { readUser, readUsers, SELECT_USER, type UserRecord } from './users-repo'
import { nameSortKey } from '../../shared/name-key'
import { localEnd } from './local-end'

export interface ConnectionRecord {
  preset: 'openldap' | 'active-directory'
  url: string
  baseDn: string
  bindDn: string
  bindPasswordEnc: Buffer
  userFilter: string | null
  groupDn: string | null
  /** The groups to bring in, as entered. */
  syncGroupDns: string[]
  emailAttribute: string
  nameAttribute: string
  loginAttribute: string
  startTls: boolean
  caFile: string | null
  massDisablePercent: number
  scheduleMinutes: number | null
  changedAt: number
  changedBy: string
  lastSyncAt: number | null
  lastSyncSummary: string | null
}

interface ConnectionRow {
  preset: string
  url: string
  base_dn: string
  bind_dn: string
  bind_password_enc: Buffer
  user_filter: string | null
  group_dn: string | null
  sync_group_dns: string
  email_attribute: string
  name_attribute: string
  login_attribute: string
  start_tls: number
  ca_file: string | null
  mass_disable_percent: number
  schedule_minutes: number | null
  changed_at: number
  changed_by: string
  last_sync_at: number | null
  last_sync_summary: string | null
}

/** The stored JSON array of DNs (the column's CHECK keeps it an array); strings only. */
function groupDnsOf(json: string): string[] {
  const parsed = JSON.parse(json) as unknown
  return Array.isArray(parsed) ? parsed.filter((dn): dn is string => typeof dn === 'string') : []
}

export function readConnection(db: Database): ConnectionRecord | null {
  const row = statement(db, 'SELECT * FROM directory_connection WHERE id = 1').get() as ConnectionRow | undefined
  if (!row) return null
  return {
    preset: row.preset as ConnectionRecord['preset'],
    url: row.url,
    baseDn: row.base_dn,
    bindDn: row.bind_dn,
    bindPasswordEnc: row.bind_password_enc,
    userFilter: row.user_filter,
    groupDn: row.group_dn,
    syncGroupDns: groupDnsOf(row.sync_group_dns),
    emailAttribute: row.email_attribute,
    nameAttribute: row.name_attribute,
    loginAttribute: row.login_attribute,
    startTls: row.start_tls === 1,
    caFile: row.ca_file,
    massDisablePercent: row.mass_disable_percent,
    scheduleMinutes: row.schedule_minutes,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
    lastSyncAt: row.last_sync_at,
    lastSyncSummary: row.last_sync_summary
  }
}

/** Writes the connection (the last sync's record stays). */
export function writeConnection(db: Database, record: Omit<ConnectionRecord, 'lastSyncAt' | 'lastSyncSummary'>): void {
  statement(
    db,
    `INSERT INTO directory_connection (id, preset, url, base_dn, bind_dn, bind_password_enc, user_filter, group_dn, sync_group_dns, email_attribute,
       name_attribute, login_attribute, start_tls, ca_file, mass_disable_percent, schedule_minutes, changed_at, changed_by)
     VALUES (1, @preset, @url, @baseDn, @bindDn, @bindPasswordEnc, @userFilter, @groupDn, @syncGroupDns, @emailAttribute,
       @nameAttribute, @loginAttribute, @startTls, @caFile, @massDisablePercent, @scheduleMinutes, @changedAt, @changedBy)
     ON CONFLICT (id) DO UPDATE SET preset = excluded.preset, url = excluded.url, base_dn = excluded.base_dn, bind_dn = excluded.bind_dn,
       bind_password_enc = excluded.bind_password_enc, user_filter = excluded.user_filter, group_dn = excluded.group_dn,
       sync_group_dns = excluded.sync_group_dns,
       email_attribute = excluded.email_attribute, name_attribute = excluded.name_attribute, login_attribute = excluded.login_attribute,
       start_tls = excluded.start_tls, ca_file = excluded.ca_file, mass_disable_percent = excluded.mass_disable_percent,
       schedule_minutes = excluded.schedule_minutes, changed_at = excluded.changed_at, changed_by = excluded.changed_by`
  ).run({ ...record, startTls: record.startTls ? 1 : 0, syncGroupDns: JSON.stringify(record.syncGroupDns) })
}

export function recordSync(db: Database, at: number, summary: string): void {
  statement(db, 'UPDATE directory_connection SET last_sync_at = ?, last_sync_summary = ? WHERE id = 1').run(at, summary)
}

// ---------------------------------------------------------------- a sync's staged read

export interface StagedEntry {
  directoryId: string
  dn: string
  login: string
  email: string | null
  name: string
  disabled: boolean
}

export function beginEntryStaging(db: Database): void {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS sync_entries (
      seq          INTEGER PRIMARY KEY,
      directory_id TEXT NOT NULL UNIQUE,
      dn           TEXT NOT NULL,
      login        TEXT NOT NULL,
      email        TEXT,
      name         TEXT NOT NULL,
      disabled     INTEGER NOT NULL
    );
    DELETE FROM temp.sync_entries;
    -- Which staged entries are members (memberOf) of which of the groups to bring in (by its place in the list).
    CREATE TEMP TABLE IF NOT EXISTS sync_entry_groups (
      group_index  INTEGER NOT NULL,
      directory_id TEXT    NOT NULL,
      PRIMARY KEY (group_index, directory_id)
    ) WITHOUT ROWID;
    DELETE FROM temp.sync_entry_groups;
  `)
}

/** Stages an entry; false when an entry with the same id was already staged. */
export function stageEntry(db: Database, entry: StagedEntry): boolean {
  return (
    statement(
      db,
      `INSERT INTO temp.sync_entries (directory_id, dn, login, email, name, disabled) VALUES (@directoryId, @dn, @login, @email, @name, @disabled)
       ON CONFLICT (directory_id) DO NOTHING`
    ).run({ ...entry, disabled: entry.disabled ? 1 : 0 }).changes === 1
  )
}

interface StagedRow {
  seq: number
  directory_id: string
  dn: string
  login: string
  email: string | null
  name: string
  disabled: number
}

/** Staged entries after `afterSeq`, in the order read: one batch. */
export function stagedEntriesAfter(db: Database, afterSeq: number, limit: number): (StagedEntry & { seq: number })[] {
  return (statement(db, 'SELECT * FROM temp.sync_entries WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as StagedRow[]).map((row) => ({
    seq: row.seq,
    directoryId: row.directory_id,
    dn: row.dn,
    login: row.login,
    email: row.email,
    name: row.name,
    disabled: row.disabled === 1
  }))
}

export function endEntryStaging(db: Database): void {
  statement(db, 'DELETE FROM temp.sync_entries').run()
  statement(db, 'DELETE FROM temp.sync_entry_groups').run()
}

// ---------------------------------------------------------------- the groups to bring in

/** Staged as the group index of an entry whose memberOf came in ranges, so only partly: its memberships are not taken away. */
export const GROUPS_NOT_KNOWN = -1

/** Stages that the entry with this id is a member of the group at `groupIndex` of the groups to bring in. */
export function stageMembership(db: Database, groupIndex: number, directoryId: string): void {
  statement(db, 'INSERT OR IGNORE INTO temp.sync_entry_groups (group_index, directory_id) VALUES (?, ?)').run(groupIndex, directoryId)
}

/** How many staged entries are members of the group at `groupIndex`. */
export function countStagedMembers(db: Database, groupIndex: number): number {
  return statement(db, 'SELECT count(*) FROM temp.sync_entry_groups WHERE group_index = ?', { pluck: true }).get(groupIndex) as number
}

/**
 * Directory users whose staged entry is a member of the group at `groupIndex` but who are not yet
 * members of the group `groupId` here: one batch, in the order of the entries' ids after `afterDirectoryId`.
 */
export function membersToAddAfter(db: Database, groupId: number, groupIndex: number, afterDirectoryId: string, limit: number): { directoryId: string; userId: number }[] {
  return statement(
    db,
    `SELECT s.directory_id AS directoryId, u.id AS userId
     FROM temp.sync_entry_groups s JOIN users u ON u.directory_id = s.directory_id
     WHERE s.group_index = @groupIndex AND s.directory_id > @after AND u.source = 'ldap'
       AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = @groupId AND m.user_id = u.id)
     ORDER BY s.directory_id LIMIT @limit`
  ).all({ groupId, groupIndex, after: afterDirectoryId, limit }) as { directoryId: string; userId: number }[]
}

/**
 * Members of the group `groupId` the directory no longer puts in it: directory users whose staged
 * entry is not a member of the group at `groupIndex`, and anyone not from the directory. Directory
 * users the read does not hold (gone, disabled by the sync) stay: the read says nothing of them;
 * so do those whose groups it holds only in part (GROUPS_NOT_KNOWN).
 * One batch of user ids after `afterUserId`.
 */
export function membersToRemoveAfter(db: Database, groupId: number, groupIndex: number, afterUserId: number, limit: number): number[] {
  return statement(
    db,
    `SELECT m.user_id FROM group_members m JOIN users u ON u.id = m.user_id
     WHERE m.group_id = @groupId AND m.user_id > @after
       AND (u.source <> 'ldap'
         OR (EXISTS (SELECT 1 FROM temp.sync_entries e WHERE e.directory_id = u.directory_id)
           AND NOT EXISTS (SELECT 1 FROM temp.sync_entry_groups s WHERE s.group_index IN (@groupIndex, @notKnown) AND s.directory_id = u.directory_id)))
     ORDER BY m.user_id LIMIT @limit`,
    { pluck: true }
  ).all({ groupId, groupIndex, notKnown: GROUPS_NOT_KNOWN, after: afterUserId, limit }) as number[]
}

export function countGroupMembers(db: Database, groupId: number): number {
  return statement(db, 'SELECT count(*) FROM group_members WHERE group_id = ?', { pluck: true }).get(groupId) as number
}

// ---------------------------------------------------------------- directory users

export function findUserByDirectoryId(db: Database, directoryId: string): UserRecord | null {
  return readUser(db, `${SELECT_USER} WHERE u.directory_id = ?`, directoryId)
}

/** Directory users the staged read does not hold, enabled ones only: whom a sync disables. One batch after `afterId`. */
export function missingDirectoryUsersAfter(db: Database, afterId: number, limit: number): UserRecord[] {
  return readUsers(
    db,
    `${SELECT_USER}
     WHERE u.source = 'ldap' AND u.id > ? AND u.disabled = 0
       AND NOT EXISTS (SELECT 1 FROM temp.sync_entries e WHERE e.directory_id = u.directory_id)
     ORDER BY u.id LIMIT ?`,
    afterId,
    limit
  )
}

/** Directory users that can sign in now: what "10% of the synced users" is a share of. */
export function countEnabledDirectoryUsers(db: Database): number {
  return statement(db, "SELECT count(*) FROM users WHERE source = 'ldap' AND disabled = 0", { pluck: true }).get() as number
}

export interface DirectoryIdentity {
  email: string
  name: string
  directoryDn: string
  directoryId: string
}

export function updateDirectoryIdentity(db: Database, userId: number, identity: DirectoryIdentity, now: number): void {
  statement(
    db,
    'UPDATE users SET email = @email, email_local_rev = @localEnd, name = @name, name_key = @nameKey, directory_dn = @directoryDn, directory_id = @directoryId, updated_at = @now WHERE id = @userId'
  ).run({ ...identity, nameKey: nameSortKey(identity.name), localEnd: localEnd(identity.email), userId, now })
}

/** A sync's disable (gone from the directory, or disabled there), or its re-enable. */
export function setDirectoryAccess(db: Database, userId: number, disabled: boolean, now: number): void {
  statement(db, 'UPDATE users SET disabled = ?, directory_disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, disabled ? 1 : 0, now, userId)
}

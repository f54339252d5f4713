// SQL of the directory sync: the one connection row (its bind password
// sealed by the core), the entries of a read staged in a temporary table of
// the syncing connection, and the directory users a sync manages.
import type { Database } from './sqlite'
import { statement } from './statements'
import { rowToUser, SELECT_USER, type UserRecord, type UserRow } from './users-repo'

export interface ConnectionRecord {
  preset: 'openldap' | 'active-directory'
  url: string
  baseDn: string
  bindDn: string
  bindPasswordEnc: Buffer
  userFilter: string | null
  groupDn: string | null
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
    `INSERT INTO directory_connection (id, preset, url, base_dn, bind_dn, bind_password_enc, user_filter, group_dn, email_attribute, name_attribute,
       login_attribute, start_tls, ca_file, mass_disable_percent, schedule_minutes, changed_at, changed_by)
     VALUES (1, @preset, @url, @baseDn, @bindDn, @bindPasswordEnc, @userFilter, @groupDn, @emailAttribute, @nameAttribute,
       @loginAttribute, @startTls, @caFile, @massDisablePercent, @scheduleMinutes, @changedAt, @changedBy)
     ON CONFLICT (id) DO UPDATE SET preset = excluded.preset, url = excluded.url, base_dn = excluded.base_dn, bind_dn = excluded.bind_dn,
       bind_password_enc = excluded.bind_password_enc, user_filter = excluded.user_filter, group_dn = excluded.group_dn,
       email_attribute = excluded.email_attribute, name_attribute = excluded.name_attribute, login_attribute = excluded.login_attribute,
       start_tls = excluded.start_tls, ca_file = excluded.ca_file, mass_disable_percent = excluded.mass_disable_percent,
       schedule_minutes = excluded.schedule_minutes, changed_at = excluded.changed_at, changed_by = excluded.changed_by`
  ).run({ ...record, startTls: record.startTls ? 1 : 0 })
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
}

// ---------------------------------------------------------------- directory users

export function findUserByDirectoryId(db: Database, directoryId: string): UserRecord | null {
  const row = statement(db, `${SELECT_USER} WHERE u.directory_id = ?`).get(directoryId) as UserRow | undefined
  return row ? rowToUser(row) : null
}

/** Directory users the staged read does not hold, enabled ones only: whom a sync disables. One batch after `afterId`. */
export function missingDirectoryUsersAfter(db: Database, afterId: number, limit: number): UserRecord[] {
  return (
    statement(
      db,
      `${SELECT_USER}
       WHERE u.source = 'ldap' AND u.id > ? AND u.disabled = 0
         AND NOT EXISTS (SELECT 1 FROM temp.sync_entries e WHERE e.directory_id = u.directory_id)
       ORDER BY u.id LIMIT ?`
    ).all(afterId, limit) as UserRow[]
  ).map(rowToUser)
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
    'UPDATE users SET email = @email, name = @name, directory_dn = @directoryDn, directory_id = @directoryId, updated_at = @now WHERE id = @userId'
  ).run({ ...identity, userId, now })
}

/** A sync's disable (gone from the directory, or disabled there), or its re-enable. */
export function setDirectoryAccess(db: Database, userId: number, disabled: boolean, now: number): void {
  statement(db, 'UPDATE users SET disabled = ?, directory_disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, disabled ? 1 : 0, now, userId)
}

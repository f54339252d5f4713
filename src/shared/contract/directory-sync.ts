// Directory sync: the one LDAP / Active Directory connection, its test, and
// the sync that brings the directory's people in (admins only). A sync
// disables (never deletes) whoever the directory no longer has, and changes
// nothing at all when the directory fails to answer part-way.
import type { ListsEvery, NoInput } from './slice'

export type DirectoryPresetName = 'openldap' | 'active-directory'

export interface DirectoryConnectionInput {
  preset: DirectoryPresetName
  /** ldap://HOST:PORT or ldaps://HOST:PORT */
  url: string
  baseDn: string
  bindDn: string
  /** Omitted: keep the stored one (changing anything else). */
  bindPassword?: string
  userFilter?: string | null
  groupDn?: string | null
  /**
   * "Groups to bring in": the DNs of directory groups (at most 50) that a sync makes groups of
   * here (source ldap), their members the synced users whose memberOf holds them. Omitted: none.
   */
  syncGroupDns?: string[]
  /** Omitted: the preset's (mail, cn or displayName, uid or sAMAccountName). */
  emailAttribute?: string
  nameAttribute?: string
  loginAttribute?: string
  startTls?: boolean
  caFile?: string | null
  /** A sync that would disable more than this share of the synced users stops and asks (default 10). */
  massDisablePercent?: number
  /** Sync every N minutes while the app is open; null: only when asked (default). */
  scheduleMinutes?: number | null
}

/** The connection as the screens see it: never the bind password. */
export interface DirectoryConnectionView {
  preset: DirectoryPresetName
  url: string
  baseDn: string
  bindDn: string
  hasBindPassword: boolean
  userFilter: string | null
  groupDn: string | null
  /** The groups to bring in, as entered (empty: none). */
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
  lastSync: DirectorySyncCounts | null
  /** What an administrator should know about this connection (plain ldap:// without StartTLS). */
  warnings: string[]
}

export interface DirectorySyncCounts {
  created: number
  updated: number
  disabled: number
  reenabled: number
  unchanged: number
  /** Groups made here for groups to bring in, and members added to and removed from them. */
  groupsCreated: number
  membersAdded: number
  membersRemoved: number
}

/** What a sync did (or would do) to the group of one of the groups to bring in. */
export interface DirectorySyncGroupChange {
  /** The DN as entered in the connection. */
  dn: string
  /** The group here; null when the directory has no such group and none was made. */
  name: string | null
  /** Made by this sync (a dry run: would be). */
  created: boolean
  added: number
  removed: number
  /** Members after the sync. */
  members: number
  /**
   * Neither found in the directory nor in any memberOf read (a typo, or a group the bind account
   * cannot see): no group was made, or the one made earlier was left as it is.
   */
  notInDirectory: boolean
}

/** An entry of the directory the sync could not use, or a user it could not change. */
export interface DirectorySyncProblem {
  /** The entry's DN (or the user's email when no entry is to blame). */
  dn: string
  message: string
}

export interface DirectorySyncChange {
  email: string
  kind: 'create' | 'update' | 'disable' | 'reenable'
  /** What changes, in words ("name Maria -> Maria Rossi", "no longer in the directory"). */
  detail: string
}

export interface DirectorySyncResult extends DirectorySyncCounts {
  applied: boolean
  dryRun: boolean
  /** Entries read from the directory. */
  entries: number
  errors: DirectorySyncProblem[]
  /** The first 500 changes. */
  changes: DirectorySyncChange[]
  /** One for each of the groups to bring in, in their order (empty when none are set). */
  groups: DirectorySyncGroupChange[]
  /** Set when the sync stopped before disabling too many users: run it again allowing it, after checking. */
  massDisable: { wouldDisable: number; synced: number; limitPercent: number } | null
}

export interface DirectorySyncProgress {
  running: boolean
  phase: 'reading' | 'applying' | null
  done: number
  total: number
}

export interface DirectorySyncApi {
  getDirectoryConnection: { input: NoInput; output: DirectoryConnectionView | null }
  setDirectoryConnection: { input: DirectoryConnectionInput; output: DirectoryConnectionView }
  /** Binds and reads the directory with these settings (or the stored ones), changing nothing. */
  testDirectoryConnection: { input: { settings?: DirectoryConnectionInput }; output: { entries: number; warnings: string[] } }
  syncDirectory: { input: { dryRun: boolean; allowMassDisable?: boolean }; output: DirectorySyncResult }
  getDirectorySyncProgress: { input: NoInput; output: DirectorySyncProgress }
}

export const DIRECTORY_SYNC_METHODS = [
  'getDirectoryConnection',
  'setDirectoryConnection',
  'testDirectoryConnection',
  'syncDirectory',
  'getDirectorySyncProgress'
] as const
const listed: ListsEvery<DirectorySyncApi, typeof DIRECTORY_SYNC_METHODS> = true
void listed

export const DEFAULT_MASS_DISABLE_PERCENT = 10

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

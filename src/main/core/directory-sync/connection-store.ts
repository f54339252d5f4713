// The one directory connection: stored with its bind password sealed under
// the secrets key, shown to the screens without it, and turned into the
// client's settings (ldap-directory.ts) when a sync, a test or a sign-in needs
// them.
import type { DirectoryConnectionInput, DirectoryConnectionView, DirectorySyncCounts } from '../../../shared/contract'
import { DEFAULT_MASS_DISABLE_PERCENT } from '../../../shared/contract/directory-sync'
import { connectionWarnings } from '../../../shared/directory-presets'
import { AppError } from '../../../shared/errors'
import type { Database } from '../../db/connection'
import * as directoryRepo from '../../db/directory-repo'
import { decryptDirectoryPassword, encryptDirectoryPassword } from '../crypto/secrets'
import { PRESETS, type DirectorySettings } from './ldap-directory'

/** The client's settings from what an administrator entered, with the preset's attributes where none was given. */
export function settingsFromInput(input: DirectoryConnectionInput, bindPassword: string): DirectorySettings {
  const preset = PRESETS[input.preset]
  return {
    preset: input.preset,
    url: input.url,
    baseDn: input.baseDn,
    bindDn: input.bindDn,
    bindPassword,
    userFilter: blankToNull(input.userFilter),
    groupDn: blankToNull(input.groupDn),
    syncGroupDns: (input.syncGroupDns ?? []).map((dn) => dn.trim()).filter((dn) => dn !== ''),
    emailAttribute: input.emailAttribute || preset.emailAttribute,
    nameAttribute: input.nameAttribute || preset.nameAttribute,
    loginAttribute: input.loginAttribute || preset.loginAttribute,
    startTls: input.startTls ?? false,
    caFile: blankToNull(input.caFile)
  }
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? ''
  return trimmed === '' ? null : trimmed
}

/** The stored connection's settings for the client, bind password decrypted; null when none is set. */
export function loadSettings(db: Database, dataKey: () => Buffer): DirectorySettings | null {
  const record = directoryRepo.readConnection(db)
  if (record === null) return null
  return {
    preset: record.preset,
    url: record.url,
    baseDn: record.baseDn,
    bindDn: record.bindDn,
    bindPassword: record.bindPasswordEnc.length === 0 ? '' : decryptDirectoryPassword(dataKey(), record.bindPasswordEnc),
    userFilter: record.userFilter,
    groupDn: record.groupDn,
    syncGroupDns: record.syncGroupDns,
    emailAttribute: record.emailAttribute,
    nameAttribute: record.nameAttribute,
    loginAttribute: record.loginAttribute,
    startTls: record.startTls,
    caFile: record.caFile
  }
}

export function requireSettings(db: Database, dataKey: () => Buffer): DirectorySettings {
  const settings = loadSettings(db, dataKey)
  if (settings === null) {
    throw new AppError('NOT_FOUND', 'No directory connection is set up. Set one up in Account > Directory sync (or with "twofa-admin ldap set") first.')
  }
  return settings
}

/** The bind password to store: the new one, or (when none was given) the one already stored. */
export function bindPasswordFor(db: Database, dataKey: () => Buffer, input: DirectoryConnectionInput): string {
  if (input.bindPassword !== undefined) return input.bindPassword
  const stored = loadSettings(db, dataKey)
  if (stored === null && input.bindDn.trim() !== '') throw new AppError('VALIDATION', 'Enter the bind password of the service account.', 'bindPassword')
  return stored?.bindPassword ?? ''
}

/** Stores the connection (call inside the write transaction that audits it). */
export function storeConnection(db: Database, dataKey: Buffer, settings: DirectorySettings, input: DirectoryConnectionInput, by: string, now: number): void {
  directoryRepo.writeConnection(db, {
    preset: settings.preset,
    url: settings.url,
    baseDn: settings.baseDn,
    bindDn: settings.bindDn,
    bindPasswordEnc: settings.bindPassword === '' ? Buffer.alloc(0) : encryptDirectoryPassword(dataKey, settings.bindPassword),
    userFilter: settings.userFilter,
    groupDn: settings.groupDn,
    syncGroupDns: settings.syncGroupDns,
    emailAttribute: settings.emailAttribute,
    nameAttribute: settings.nameAttribute,
    loginAttribute: settings.loginAttribute,
    startTls: settings.startTls,
    caFile: settings.caFile,
    massDisablePercent: input.massDisablePercent ?? DEFAULT_MASS_DISABLE_PERCENT,
    scheduleMinutes: input.scheduleMinutes ?? null,
    changedAt: now,
    changedBy: by
  })
}

const NO_GROUP_CHANGES = { groupsCreated: 0, membersAdded: 0, membersRemoved: 0 }

export function connectionView(db: Database): DirectoryConnectionView | null {
  const record = directoryRepo.readConnection(db)
  if (record === null) return null
  let lastSync: DirectorySyncCounts | null = null
  try {
    // A sync recorded before groups were brought in has no group counts: none.
    lastSync = record.lastSyncSummary === null ? null : { ...NO_GROUP_CHANGES, ...(JSON.parse(record.lastSyncSummary) as Partial<DirectorySyncCounts>) } as DirectorySyncCounts
  } catch {
    lastSync = null
  }
  return {
    preset: record.preset,
    url: record.url,
    baseDn: record.baseDn,
    bindDn: record.bindDn,
    hasBindPassword: record.bindPasswordEnc.length > 0,
    userFilter: record.userFilter,
    groupDn: record.groupDn,
    syncGroupDns: record.syncGroupDns,
    emailAttribute: record.emailAttribute,
    nameAttribute: record.nameAttribute,
    loginAttribute: record.loginAttribute,
    startTls: record.startTls,
    caFile: record.caFile,
    massDisablePercent: record.massDisablePercent,
    scheduleMinutes: record.scheduleMinutes,
    changedAt: record.changedAt,
    changedBy: record.changedBy,
    lastSyncAt: record.lastSyncAt,
    lastSync,
    warnings: connectionWarnings(record)
  }
}

export function massDisablePercent(db: Database): number {
  return directoryRepo.readConnection(db)?.massDisablePercent ?? DEFAULT_MASS_DISABLE_PERCENT
}

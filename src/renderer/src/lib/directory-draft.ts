// The Directory sync form as text fields, and back: from the stored connection
// to what the form shows, and from what was typed to the call the app checks.
// Empty attribute fields mean "the preset's": the placeholder shows which.
import { DEFAULT_MASS_DISABLE_PERCENT, type DirectoryConnectionInput, type DirectoryConnectionView, type DirectoryPresetName } from '../../../shared/contract/directory-sync'
import { dnLines } from '../../../shared/directory-dn'
import { connectionWarnings, DIRECTORY_PRESETS } from '../../../shared/directory-presets'

export interface DirectoryDraft {
  preset: DirectoryPresetName
  url: string
  baseDn: string
  bindDn: string
  /** Write-only: empty keeps the stored one. */
  bindPassword: string
  userFilter: string
  groupDn: string
  /** The groups to bring in: one DN per line. */
  syncGroupDns: string
  emailAttribute: string
  nameAttribute: string
  loginAttribute: string
  startTls: boolean
  caFile: string
  massDisablePercent: string
  scheduled: boolean
  scheduleMinutes: string
}

/** Offered when the schedule is turned on. */
export const DEFAULT_SCHEDULE_MINUTES = 60

const ATTRIBUTES = ['emailAttribute', 'nameAttribute', 'loginAttribute'] as const

export function draftFrom(connection: DirectoryConnectionView | null): DirectoryDraft {
  if (connection === null) {
    return {
      preset: 'openldap',
      url: '',
      baseDn: '',
      bindDn: '',
      bindPassword: '',
      userFilter: '',
      groupDn: '',
      syncGroupDns: '',
      emailAttribute: '',
      nameAttribute: '',
      loginAttribute: '',
      startTls: false,
      caFile: '',
      massDisablePercent: String(DEFAULT_MASS_DISABLE_PERCENT),
      scheduled: false,
      scheduleMinutes: String(DEFAULT_SCHEDULE_MINUTES)
    }
  }
  const preset = DIRECTORY_PRESETS[connection.preset]
  // The core stores the preset's attribute when none was given: shown empty, it follows a change of preset.
  const attribute = (key: (typeof ATTRIBUTES)[number]) => (connection[key] === preset[key] ? '' : connection[key])
  return {
    preset: connection.preset,
    url: connection.url,
    baseDn: connection.baseDn,
    bindDn: connection.bindDn,
    bindPassword: '',
    userFilter: connection.userFilter ?? '',
    groupDn: connection.groupDn ?? '',
    syncGroupDns: connection.syncGroupDns.join('\n'),
    emailAttribute: attribute('emailAttribute'),
    nameAttribute: attribute('nameAttribute'),
    loginAttribute: attribute('loginAttribute'),
    startTls: connection.startTls,
    caFile: connection.caFile ?? '',
    massDisablePercent: String(connection.massDisablePercent),
    scheduled: connection.scheduleMinutes !== null,
    scheduleMinutes: String(connection.scheduleMinutes ?? DEFAULT_SCHEDULE_MINUTES)
  }
}

/** A whole number as typed; anything else goes to the app as it is, to be refused in its words. */
function wholeNumber(text: string): number {
  const trimmed = text.trim()
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
}

/** What Save and Test connection send. The bind password only when one was typed (else the stored one is kept). */
export function inputFrom(draft: DirectoryDraft): DirectoryConnectionInput {
  const input: DirectoryConnectionInput = {
    preset: draft.preset,
    url: draft.url.trim(),
    baseDn: draft.baseDn.trim(),
    bindDn: draft.bindDn.trim(),
    userFilter: draft.userFilter.trim() === '' ? null : draft.userFilter.trim(),
    groupDn: draft.groupDn.trim() === '' ? null : draft.groupDn.trim(),
    startTls: draft.startTls,
    caFile: draft.caFile.trim() === '' ? null : draft.caFile.trim(),
    massDisablePercent: wholeNumber(draft.massDisablePercent),
    scheduleMinutes: draft.scheduled ? wholeNumber(draft.scheduleMinutes) : null
  }
  if (draft.bindPassword !== '') input.bindPassword = draft.bindPassword
  // Left out when empty: none are brought in.
  const groups = dnLines(draft.syncGroupDns)
  if (groups.length > 0) input.syncGroupDns = groups
  for (const key of ATTRIBUTES) if (draft[key].trim() !== '') input[key] = draft[key].trim()
  return input
}

/** What the form warns of while it is filled in (the core's own words). */
export function draftWarnings(draft: DirectoryDraft): string[] {
  return connectionWarnings({ url: draft.url, startTls: draft.startTls })
}

/** Whether what the form shows differs from the stored connection (a bind password typed counts). */
export function draftChanged(draft: DirectoryDraft, connection: DirectoryConnectionView | null): boolean {
  const stored = draftFrom(connection)
  // Blank lines and spaces around a DN are not a change of the groups to bring in.
  const typed = { ...draft, syncGroupDns: dnLines(draft.syncGroupDns).join('\n') }
  return (Object.keys(stored) as (keyof DirectoryDraft)[]).some((key) => typed[key] !== stored[key])
}

// What "OpenLDAP" and "Active Directory" mean for a read of the directory: which attribute holds
// what, which entries are people, how membership of a group is asked for, and the one search
// filter built from all of it, with every value escaped (RFC 4515).
import { Filter, FilterParser } from 'ldapts'
import { DIRECTORY_PRESETS } from '../../../shared/directory-presets'
import { AppError } from '../../../shared/errors'

export type DirectoryPreset = 'openldap' | 'active-directory'

export interface DirectoryPresetDefaults {
  emailAttribute: string
  nameAttribute: string
  loginAttribute: string
  /** Read when the login attribute is missing (AD: userPrincipalName for accounts without sAMAccountName). */
  fallbackLoginAttribute: string | null
  /** The stable id: survives renames and moves (entryUUID, objectGUID). */
  idAttribute: string
  /** The id arrives as 16 bytes to show as a GUID (AD's objectGUID). */
  idIsGuidBytes: boolean
  /** AD: userAccountControl, whose bit 0x2 (ACCOUNTDISABLE) marks a disabled account. */
  disabledAttribute: string | null
  defaultUserFilter: string
  /** Members of the group with this DN; the DN is escaped here. */
  groupFilter(groupDn: string): string
}

/** AD's LDAP_MATCHING_RULE_IN_CHAIN: memberOf through nested groups. */
export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941'

/** userAccountControl bit ACCOUNTDISABLE. */
export const ACCOUNT_DISABLE = 0x2

// The attributes and the people filter come from src/shared: the screens show them as placeholders.
export const PRESETS: Record<DirectoryPreset, DirectoryPresetDefaults> = {
  openldap: {
    emailAttribute: DIRECTORY_PRESETS.openldap.emailAttribute,
    nameAttribute: DIRECTORY_PRESETS.openldap.nameAttribute,
    loginAttribute: DIRECTORY_PRESETS.openldap.loginAttribute,
    fallbackLoginAttribute: null,
    idAttribute: 'entryUUID',
    idIsGuidBytes: false,
    disabledAttribute: null,
    defaultUserFilter: DIRECTORY_PRESETS.openldap.userFilter,
    groupFilter: (groupDn) => `(memberOf=${Filter.escape(groupDn)})`
  },
  'active-directory': {
    emailAttribute: DIRECTORY_PRESETS['active-directory'].emailAttribute,
    nameAttribute: DIRECTORY_PRESETS['active-directory'].nameAttribute,
    loginAttribute: DIRECTORY_PRESETS['active-directory'].loginAttribute,
    fallbackLoginAttribute: 'userPrincipalName',
    idAttribute: 'objectGUID',
    idIsGuidBytes: true,
    disabledAttribute: 'userAccountControl',
    defaultUserFilter: DIRECTORY_PRESETS['active-directory'].userFilter,
    groupFilter: (groupDn) => `(memberOf:${IN_CHAIN_RULE}:=${Filter.escape(groupDn)})`
  }
}

interface FilterSettings {
  preset: DirectoryPreset
  userFilter: string | null
  groupDn: string | null
}

/** True when the whole string is one parenthesized filter (a value's parentheses are escaped as \28 and \29). */
function isOneParenthesized(filter: string): boolean {
  let depth = 0
  for (let i = 0; i < filter.length; i += 1) {
    if (filter[i] === '(') depth += 1
    else if (filter[i] === ')') depth -= 1
    if (depth < 0 || (depth === 0 && i < filter.length - 1)) return false
  }
  return depth === 0
}

/** The admin's own filter, checked before anything goes on the wire; bare `a=b` gets its parentheses. */
export function checkedUserFilter(userFilter: string | null, preset: DirectoryPreset): string {
  const trimmed = userFilter?.trim() ?? ''
  if (trimmed === '') return PRESETS[preset].defaultUserFilter
  const filter = trimmed.startsWith('(') ? trimmed : `(${trimmed})`
  try {
    // ldapts quietly closes a missing parenthesis ("(&(a=b)" reads as "(&(a=b))"): count them first.
    if (!isOneParenthesized(filter)) throw new Error('unbalanced parentheses')
    FilterParser.parseString(filter)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new AppError('VALIDATION', `The user filter ${filter} is not a valid LDAP filter (${reason}). Write it like (objectClass=inetOrgPerson).`, 'userFilter')
  }
  return filter
}

/** The filter of the whole read: the people, and (when a group is set) only its members. */
export function searchFilter(settings: FilterSettings): string {
  const people = checkedUserFilter(settings.userFilter, settings.preset)
  const groupDn = settings.groupDn?.trim() ?? ''
  return groupDn === '' ? people : `(&${people}${PRESETS[settings.preset].groupFilter(groupDn)})`
}

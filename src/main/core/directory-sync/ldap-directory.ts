// The LDAP directory client: read every person (paged, so no server size limit truncates the
// read), test the settings, and check a user's password by binding as them. Plain Node over
// ldapts; no SQL and no state: the sync decides what a read means.
//
// A read either ends because the server said the last page was sent, or it throws an AppError
// (DIRECTORY_UNAVAILABLE when the connection breaks mid-read). It never ends early and quietly:
// a sync must not take an outage for "these users are gone". Entries that cannot be used (no id,
// no login) come back as problems beside the page's entries, never as a crash or a silent drop.
import { ResultCodeError, SASL_MECHANISMS, type SearchResult } from 'ldapts'
import { dnKey } from '../../../shared/directory-dn'
import { PLAIN_LDAP_WARNING } from '../../../shared/directory-presets'
import { AppError } from '../../../shared/errors'
import { PRESETS, searchFilter, type DirectoryPreset } from './directory-presets'
import { bindSession, closeQuietly, endpointOf, openSession, withBoundSession } from './ldap-connection'
import { directoryFailure, LDAP } from './ldap-errors'
import { isProblem, toDirectoryEntry, type DirectoryEntry, type DirectoryProblem, type EntryAttributes } from './ldap-entries'

export { PRESETS, searchFilter, type DirectoryPreset, type DirectoryPresetDefaults } from './directory-presets'
export { guidFromBytes, type DirectoryEntry, type DirectoryProblem } from './ldap-entries'

export interface DirectorySettings {
  preset: DirectoryPreset
  /** ldap:// or ldaps:// */
  url: string
  baseDn: string
  /** The service account; empty for an anonymous read. */
  bindDn: string
  bindPassword: string
  /** Null: the preset's people filter. */
  userFilter: string | null
  /** Only members of this group (nested groups too on AD). */
  groupDn: string | null
  /** The groups to bring in: when any, each entry's memberOf is read too. */
  syncGroupDns: string[]
  emailAttribute: string
  nameAttribute: string
  loginAttribute: string
  startTls: boolean
  /** PEM file of the CA that signed the directory's certificate; null: the system's CAs. */
  caFile: string | null
  /** Connect, TLS handshake and each operation (one page is one operation). Default 10 s. */
  timeoutMs?: number
  /** Entries per page of the paged search. Default 200; at most 1,000 (AD's MaxPageSize). */
  pageSize?: number
}

/** One page of a read: the usable entries and the entries skipped, with why. */
export interface DirectoryPage {
  entries: DirectoryEntry[]
  problems: DirectoryProblem[]
}

export const DEFAULT_PAGE_SIZE = 200
const MAX_PAGE_SIZE = 1_000
/** The groups of an entry: the memberof overlay in OpenLDAP, built in in AD; direct groups only in both. */
export const MEMBER_OF = 'memberOf'
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/

/** Binds that say "not these credentials" rather than "cannot decide": the password check is false. */
const REJECTED_BINDS = new Set<number>([LDAP.invalidCredentials, LDAP.invalidDNSyntax, LDAP.noSuchObject, LDAP.inappropriateAuthentication])

interface ReadPlan {
  filter: string
  attributes: EntryAttributes
  requested: string[]
  binary: string[]
  pageSize: number
}

function checkedAttribute(value: string, field: string): string {
  const name = value.trim()
  if (!ATTRIBUTE_NAME.test(name)) throw new AppError('VALIDATION', `${value === '' ? 'An empty name' : value} is not an LDAP attribute name (like mail or displayName).`, field)
  return name
}

/** A DN ldapts would send as a SASL mechanism name instead of a simple bind. */
const isSaslName = (dn: string): boolean => (SASL_MECHANISMS as readonly string[]).includes(dn.trim().toUpperCase())

/** Everything about the settings that can be checked before a byte goes on the wire. */
function planRead(settings: DirectorySettings): ReadPlan {
  endpointOf(settings.url)
  if (settings.baseDn.trim() === '') throw new AppError('VALIDATION', 'Give the base DN under which the people are, like ou=people,dc=example,dc=com.', 'baseDn')
  if (isSaslName(settings.bindDn)) throw new AppError('VALIDATION', `${settings.bindDn} is not a bind DN: give the service account's DN.`, 'bindDn')
  // A DN with an empty password is an unauthenticated bind (RFC 4513): it "succeeds" and reads as anonymous.
  if (settings.bindDn.trim() !== '' && settings.bindPassword === '') throw new AppError('VALIDATION', 'Give the password of the bind DN.', 'bindPassword')
  const pageSize = settings.pageSize ?? DEFAULT_PAGE_SIZE
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new AppError('VALIDATION', `The page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'pageSize')
  const preset = PRESETS[settings.preset]
  const loginAttribute = checkedAttribute(settings.loginAttribute, 'loginAttribute')
  const fallback = preset.fallbackLoginAttribute !== null && preset.fallbackLoginAttribute.toLowerCase() !== loginAttribute.toLowerCase() ? preset.fallbackLoginAttribute : null
  const attributes: EntryAttributes = {
    idAttribute: preset.idAttribute,
    idIsGuidBytes: preset.idIsGuidBytes,
    loginAttribute,
    fallbackLoginAttribute: fallback,
    emailAttribute: checkedAttribute(settings.emailAttribute, 'emailAttribute'),
    nameAttribute: checkedAttribute(settings.nameAttribute, 'nameAttribute'),
    disabledAttribute: preset.disabledAttribute,
    memberOfAttribute: settings.syncGroupDns.length > 0 ? MEMBER_OF : null
  }
  const requested = [...new Set(Object.values(attributes).filter((value): value is string => typeof value === 'string'))]
  // ldapts matches these names case-sensitively against what the server sends back.
  const id = preset.idAttribute
  const binary = preset.idIsGuidBytes ? [...new Set([id, id.toLowerCase(), id.toUpperCase()])] : []
  return { filter: searchFilter({ preset: settings.preset, userFilter: settings.userFilter, groupDn: settings.groupDn }), attributes, requested, binary, pageSize }
}

/**
 * Reads every entry the settings select, one page (RFC 2696 paged results) at a time, and
 * reports the running count of entries read. Throws AppError: VALIDATION before connecting,
 * DIRECTORY_* after; a connection lost between or within pages throws DIRECTORY_UNAVAILABLE.
 */
export async function* readDirectory(settings: DirectorySettings, onProgress?: (entriesRead: number) => void): AsyncGenerator<DirectoryPage, void, undefined> {
  const plan = planRead(settings)
  const baseDn = settings.baseDn.trim()
  const session = await openSession(settings)
  try {
    await bindSession(session, settings.bindDn.trim(), settings.bindPassword, 'bind')
    const pages = session.client.searchPaginated(baseDn, {
      scope: 'sub',
      filter: plan.filter,
      attributes: plan.requested,
      explicitBufferAttributes: plan.binary,
      paged: { pageSize: plan.pageSize }
    })
    let entriesRead = 0
    try {
      for (;;) {
        let next: IteratorResult<SearchResult>
        try {
          next = await pages.next()
        } catch (error) {
          throw directoryFailure(error, session.url, 'search', baseDn)
        }
        if (next.done === true) return
        const page: DirectoryPage = { entries: [], problems: [] }
        for (const raw of next.value.searchEntries) {
          const read = toDirectoryEntry(raw, plan.attributes)
          if (isProblem(read)) page.problems.push(read)
          else page.entries.push(read)
        }
        entriesRead += next.value.searchEntries.length
        onProgress?.(entriesRead)
        yield page
      }
    } finally {
      // The caller stopped early: end ldapts' generator too, before the unbind below.
      await pages.return(undefined).catch(() => undefined)
    }
  } finally {
    await closeQuietly(session.client, session.timeoutMs)
  }
}

async function groupExists(settings: DirectorySettings, groupDn: string): Promise<boolean> {
  return await withBoundSession(settings, settings.bindDn.trim(), settings.bindPassword, async (session) => {
    try {
      await session.client.search(groupDn, { scope: 'base', attributes: ['1.1'] })
      return true
    } catch (error) {
      if (error instanceof ResultCodeError && error.code === LDAP.noSuchObject) return false
      throw directoryFailure(error, session.url, 'search', groupDn)
    }
  })
}

/**
 * Which of the groups to bring in the directory has (a base search of each, on one bound
 * connection): true or false in their order. A group the bind account may not see reads as
 * missing, as LDAP hides it; any other refusal throws, as a read would.
 */
export async function findSyncGroups(settings: DirectorySettings): Promise<boolean[]> {
  if (settings.syncGroupDns.length === 0) return []
  return await withBoundSession(settings, settings.bindDn.trim(), settings.bindPassword, async (session) => {
    const found: boolean[] = []
    for (const dn of settings.syncGroupDns) {
      try {
        await session.client.search(dn, { scope: 'base', attributes: ['1.1'] })
        found.push(true)
      } catch (error) {
        if (error instanceof ResultCodeError && (error.code === LDAP.noSuchObject || error.code === LDAP.invalidDNSyntax)) found.push(false)
        else throw directoryFailure(error, session.url, 'search', dn)
      }
    }
    return found
  })
}

/** What a test says of the groups to bring in: those the directory lacks, and those no user read is a member of. */
function syncGroupWarnings(settings: DirectorySettings, found: boolean[], membersRead: Map<string, number>): string[] {
  const warnings: string[] = []
  settings.syncGroupDns.forEach((dn, index) => {
    const members = membersRead.get(dnKey(dn)) ?? 0
    if (found[index] !== true && members === 0) {
      warnings.push(`The group ${dn} (to bring in) is not in the directory, or the bind account cannot see it: a sync makes no group of it.`)
    } else if (members === 0) {
      const hint = settings.preset === 'openldap' ? ' If it has members, the server may lack memberOf (the memberof overlay).' : ''
      warnings.push(`No user read is a member of ${dn} (to bring in): its group here would be empty.${hint}`)
    }
  })
  return warnings
}

/**
 * Binds and reads with the settings (a complete paged read, as a sync would) and says what
 * would go wrong: the count of usable entries and warnings. Throws the AppError a read would.
 */
export async function testDirectory(settings: DirectorySettings): Promise<{ entries: number; warnings: string[] }> {
  const plan = planRead(settings)
  const endpoint = endpointOf(settings.url)
  const warnings: string[] = []
  // The same words as the connection's own warning, so a screen showing both shows it once.
  if (!endpoint.secure && !settings.startTls) warnings.push(PLAIN_LDAP_WARNING)
  if (endpoint.secure && settings.startTls) warnings.push('StartTLS is not used with ldaps://: the connection is encrypted from the start.')
  if (settings.bindDn.trim() === '') warnings.push('No bind DN: the directory is read anonymously, and may show less than it holds.')
  const groupDn = settings.groupDn?.trim() ?? ''
  if (groupDn !== '' && !(await groupExists(settings, groupDn))) warnings.push(`The group ${groupDn} does not exist in the directory: no one would be read.`)
  const groupsFound = await findSyncGroups(settings)
  const selected = new Set(settings.syncGroupDns.map(dnKey))
  const membersRead = new Map<string, number>()
  let entries = 0
  let withoutEmail = 0
  let skipped = 0
  const firstProblems: string[] = []
  for await (const page of readDirectory(settings)) {
    entries += page.entries.length
    withoutEmail += page.entries.filter((entry) => entry.email === null).length
    for (const entry of page.entries) {
      for (const key of new Set(entry.memberOf.map(dnKey))) if (selected.has(key)) membersRead.set(key, (membersRead.get(key) ?? 0) + 1)
    }
    skipped += page.problems.length
    for (const problem of page.problems) if (firstProblems.length < 3) firstProblems.push(problem.message)
  }
  if (entries === 0) {
    const hint = groupDn !== '' && settings.preset === 'openldap' ? ' If the group exists, the server may lack memberOf (the memberof overlay).' : ''
    warnings.push(`No entry matches ${plan.filter} under ${settings.baseDn.trim()}.${hint}`)
  }
  if (skipped > 0) warnings.push(`${skipped} ${skipped === 1 ? 'entry' : 'entries'} would be skipped${skipped > firstProblems.length ? `; the first ${firstProblems.length}:` : ':'}`, ...firstProblems)
  if (withoutEmail > 0) warnings.push(`${withoutEmail} of ${entries} entries have no ${plan.attributes.emailAttribute}.`)
  warnings.push(...syncGroupWarnings(settings, groupsFound, membersRead))
  return { entries, warnings }
}

/**
 * Checks a user's directory password by binding as them: true, false for credentials the
 * directory refuses, or throws (DIRECTORY_UNAVAILABLE when it cannot be asked). An empty
 * password is always false: in LDAP it is an anonymous bind, which "succeeds".
 */
export async function authenticateDirectoryUser(settings: DirectorySettings, userDn: string, password: string): Promise<boolean> {
  const dn = userDn.trim()
  if (password === '' || dn === '' || isSaslName(dn)) return false
  const session = await openSession(settings)
  try {
    await session.client.bind(dn, password)
    return true
  } catch (error) {
    if (error instanceof ResultCodeError && REJECTED_BINDS.has(error.code)) return false
    throw directoryFailure(error, session.url, 'authenticate', dn)
  } finally {
    await closeQuietly(session.client, session.timeoutMs)
  }
}

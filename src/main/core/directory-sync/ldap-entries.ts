// One search entry as the app sees it: the id, login, email, name, the disabled flag and (when
// groups are brought in) the DNs of its groups, read
// case-insensitively from what the server sent. An entry without an id or a login cannot be
// matched to a user on the next read: it becomes a problem (its DN and why), never a crash.
import type { Entry } from 'ldapts'
import { ACCOUNT_DISABLE } from './directory-presets'

export interface DirectoryEntry {
  dn: string
  /** entryUUID (OpenLDAP) or objectGUID as the canonical GUID string (AD), lowercase. */
  id: string
  login: string
  email: string | null
  name: string
  /** AD: userAccountControl bit 0x2 (ACCOUNTDISABLE). Always false for OpenLDAP. */
  disabled: boolean
  /** The DNs of its groups as the server wrote them (memberOf: direct groups only); empty unless asked for. */
  memberOf: string[]
  /**
   * False when the server sent memberOf in ranges (AD, for more values than its MaxValRange):
   * memberOf then holds only the first range, and the sync leaves this user's groups as they are.
   */
  memberOfComplete: boolean
}

export interface DirectoryProblem {
  dn: string
  message: string
}

export interface EntryAttributes {
  idAttribute: string
  idIsGuidBytes: boolean
  loginAttribute: string
  fallbackLoginAttribute: string | null
  emailAttribute: string
  nameAttribute: string
  disabledAttribute: string | null
  /** memberOf, read only when groups are brought in. */
  memberOfAttribute: string | null
}

const GUID_TEXT = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i

/**
 * objectGUID's 16 bytes as AD shows them: the first three groups are little-endian
 * (Data1 4 bytes, Data2 and Data3 2 bytes each), the last two in byte order.
 */
export function guidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`A GUID has 16 bytes, not ${bytes.length}.`)
  const hex = (indexes: number[]): string => indexes.map((i) => (bytes[i] ?? 0).toString(16).padStart(2, '0')).join('')
  return [hex([3, 2, 1, 0]), hex([5, 4]), hex([7, 6]), hex([8, 9]), hex([10, 11, 12, 13, 14, 15])].join('-')
}

/** The values of one attribute, whatever case the server wrote its name in. */
function valuesOf(entry: Entry, attribute: string): (string | Buffer)[] {
  const wanted = attribute.toLowerCase()
  for (const key of Object.keys(entry)) {
    if (key.toLowerCase() !== wanted || key === 'dn') continue
    const value = entry[key]
    if (value === undefined) return []
    return Array.isArray(value) ? value : [value]
  }
  return []
}

function firstText(entry: Entry, attribute: string | null): string | null {
  if (attribute === null) return null
  for (const value of valuesOf(entry, attribute)) {
    const text = (Buffer.isBuffer(value) ? value.toString('utf8') : value).trim()
    if (text !== '') return text
  }
  return null
}

function allText(entry: Entry, attribute: string): string[] {
  return valuesOf(entry, attribute)
    .map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : value).trim())
    .filter((text) => text !== '')
}

function groupsOf(entry: Entry, attribute: string | null): { memberOf: string[]; memberOfComplete: boolean } {
  if (attribute === null) return { memberOf: [], memberOfComplete: true }
  const ranged = Object.keys(entry).find((key) => key.toLowerCase().startsWith(`${attribute.toLowerCase()};range=`))
  if (ranged !== undefined) return { memberOf: allText(entry, ranged), memberOfComplete: false }
  return { memberOf: allText(entry, attribute), memberOfComplete: true }
}

function idOf(entry: Entry, attributes: EntryAttributes): string | { problem: string } {
  const [value] = valuesOf(entry, attributes.idAttribute)
  if (value === undefined) return { problem: `it has no ${attributes.idAttribute}, so it could not be followed across renames` }
  if (attributes.idIsGuidBytes) {
    if (Buffer.isBuffer(value)) {
      return value.length === 16 ? guidFromBytes(value) : { problem: `its ${attributes.idAttribute} has ${value.length} bytes, not the 16 of a GUID` }
    }
    // Text only when something in between already turned the bytes into a GUID string.
    const text = GUID_TEXT.test(value.trim()) ? value.trim().replace(/[{}]/g, '') : null
    return text === null ? { problem: `its ${attributes.idAttribute} is not a GUID` } : text.toLowerCase()
  }
  const text = (Buffer.isBuffer(value) ? value.toString('utf8') : value).trim()
  return text === '' ? { problem: `its ${attributes.idAttribute} is empty` } : text.toLowerCase()
}

function disabledOf(entry: Entry, attribute: string | null): boolean {
  const text = firstText(entry, attribute)
  if (text === null) return false
  const flags = Number.parseInt(text, 10)
  return Number.isFinite(flags) && (flags & ACCOUNT_DISABLE) !== 0
}

/** The entry as the app keeps it, or the problem that keeps it out of the read. */
export function toDirectoryEntry(entry: Entry, attributes: EntryAttributes): DirectoryEntry | DirectoryProblem {
  const id = idOf(entry, attributes)
  if (typeof id !== 'string') return { dn: entry.dn, message: `Skipped ${entry.dn}: ${id.problem}.` }
  const login = firstText(entry, attributes.loginAttribute) ?? firstText(entry, attributes.fallbackLoginAttribute)
  if (login === null) {
    const names = [attributes.loginAttribute, attributes.fallbackLoginAttribute].filter((name) => name !== null).join(' or ')
    return { dn: entry.dn, message: `Skipped ${entry.dn}: it has no ${names}, so nobody could sign in as it.` }
  }
  return {
    dn: entry.dn,
    id,
    login,
    email: firstText(entry, attributes.emailAttribute),
    name: firstText(entry, attributes.nameAttribute) ?? login,
    disabled: disabledOf(entry, attributes.disabledAttribute),
    ...groupsOf(entry, attributes.memberOfAttribute)
  }
}

export function isProblem(value: DirectoryEntry | DirectoryProblem): value is DirectoryProblem {
  return !('id' in value)
}

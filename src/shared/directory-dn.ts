// Distinguished names (RFC 4514) as far as the directory groups need them: is
// a DN plausible, are two DNs the same group (a server writes memberOf in its
// own case and spacing), and the group's name (its first RDN's value). The
// schema checks the "Groups to bring in" with it, the sync compares memberOf
// with it, the screens count lines with it. Pure TypeScript.
import { hasHiddenCharacters } from './text'

/** At most this many directory groups are brought in. */
export const MAX_SYNC_GROUPS = 50
/** A DN of the "Groups to bring in" has at most this many characters. */
export const MAX_DN_LENGTH = 1024

/** One attribute-value pair of an RDN: the type as written, the value unescaped. */
export interface DnAttribute {
  type: string
  value: string
}

const TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/
/** What RFC 4514 lets a backslash escape besides two hex digits. */
const ESCAPABLE = new Set([' ', '"', '#', '+', ',', ';', '<', '=', '>', '\\'])
/** What must be escaped inside a value (RFC 4514 2.4): seen unescaped, the DN is not plausible. */
const MUST_ESCAPE = new Set(['"', ';', '<', '>'])
const HEX = /^[0-9a-fA-F]{2}$/

/** The hex-escaped bytes of a value as text; null when they are not UTF-8. */
function utf8(bytes: number[]): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes))
  } catch {
    return null
  }
}

/**
 * The RDNs of a DN, first (the entry's own) to last, each a list of attribute-value pairs with
 * values unescaped and the spaces around separators dropped; null when the text is not a DN
 * (a part without `=`, an attribute type that is not one, a bad escape, an empty value, a
 * control character in a value).
 */
export function parseDn(text: string): DnAttribute[][] | null {
  const dn = text.trim()
  if (dn === '') return null
  const rdns: DnAttribute[][] = []
  let rdn: DnAttribute[] = []
  let i = 0
  for (;;) {
    const equals = dn.indexOf('=', i)
    if (equals < 0) return null
    const type = dn.slice(i, equals).trim()
    if (!TYPE.test(type)) return null
    i = equals + 1
    while (dn[i] === ' ') i++
    let value = ''
    if (dn[i] === '#') {
      // A value given as the hex of its BER encoding: kept as written, in lowercase.
      const hex = /^#([0-9a-fA-F]{2})+/.exec(dn.slice(i))?.[0]
      if (hex === undefined) return null
      value = hex.toLowerCase()
      i += hex.length
      while (dn[i] === ' ') i++
    } else {
      let kept = ''
      // Spaces are held back until something else follows: trailing spaces are no part of the value.
      let spaces = ''
      let bytes: number[] = []
      const flush = (): boolean => {
        if (bytes.length === 0) return true
        const decoded = utf8(bytes)
        bytes = []
        if (decoded === null) return false
        kept += spaces + decoded
        spaces = ''
        return true
      }
      while (i < dn.length && dn[i] !== ',' && dn[i] !== '+') {
        const char = dn[i]!
        if (char === '\\') {
          const pair = dn.slice(i + 1, i + 3)
          if (HEX.test(pair)) {
            bytes.push(Number.parseInt(pair, 16))
            i += 3
            continue
          }
          if (!flush()) return null
          const escaped = dn[i + 1]
          if (escaped === undefined || !ESCAPABLE.has(escaped)) return null
          kept += spaces + escaped
          spaces = ''
          i += 2
          continue
        }
        if (!flush()) return null
        if (MUST_ESCAPE.has(char)) return null
        if (char === ' ') spaces += char
        else {
          kept += spaces + char
          spaces = ''
        }
        i++
      }
      if (!flush()) return null
      value = kept
    }
    if (value === '' || hasHiddenCharacters(value)) return null
    rdn.push({ type, value })
    if (i >= dn.length) {
      rdns.push(rdn)
      return rdns
    }
    if (dn[i] === ',') {
      rdns.push(rdn)
      rdn = []
    }
    i++
    if (i >= dn.length) return null
  }
}

/** A value as a DN writes it: every special character escaped, so that the text parses back to it. */
function escapeValue(value: string): string {
  if (value.startsWith('#') && /^#([0-9a-f]{2})+$/.test(value)) return value
  return value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`)
}

/**
 * The DN as two DNs of the same entry have it in common: types and values in lowercase, no spaces
 * around separators, escapes written one way, the pairs of a multi-valued RDN in order. Null when
 * the text is not a DN.
 */
export function normalizeDn(text: string): string | null {
  const rdns = parseDn(text)
  if (rdns === null) return null
  return rdns
    .map((rdn) =>
      rdn
        .map((pair) => `${pair.type.toLowerCase()}=${escapeValue(pair.value.toLowerCase())}`)
        .sort()
        .join('+')
    )
    .join(',')
}

/** The key two DNs of the same group share; a text that does not parse is compared as it is, in lowercase. */
export function dnKey(text: string): string {
  return normalizeDn(text) ?? text.trim().toLowerCase()
}

/** The value of the first RDN: cn=VPN Users,ou=groups,... is "VPN Users". Null when the text is not a DN. */
export function firstRdnValue(text: string): string | null {
  return parseDn(text)?.[0]?.[0]?.value ?? null
}

/** The "Groups to bring in" as typed in a text box: one DN per line, blank lines skipped. */
export function dnLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/**
 * What is wrong with a list of groups to bring in, in words for the person who typed it
 * (line numbers from 1), or null when it can be stored.
 */
export function syncGroupsProblem(dns: readonly string[]): string | null {
  if (dns.length > MAX_SYNC_GROUPS) return `Bring in at most ${MAX_SYNC_GROUPS} groups (this lists ${dns.length}).`
  const seen = new Map<string, number>()
  for (const [index, raw] of dns.entries()) {
    const dn = raw.trim()
    const line = `Group ${index + 1}`
    if (dn.length > MAX_DN_LENGTH) return `${line} has more than ${MAX_DN_LENGTH} characters.`
    if (hasHiddenCharacters(dn)) return `${line} contains control or text-direction characters.`
    const key = normalizeDn(dn)
    if (key === null) return `${line} (${dn}) is not a DN: write it like cn=VPN Users,ou=groups,dc=example,dc=com.`
    const earlier = seen.get(key)
    if (earlier !== undefined) return `${line} is the same group as group ${earlier + 1} (${dn}).`
    seen.set(key, index)
  }
  return null
}

// An IP address or a CIDR block as an administrator types it for a RADIUS
// client (192.0.2.10, 10.0.0.0/8, 2001:db8::/32): checked here so the screens
// and the command line say what is wrong before anything is stored.

export interface ClientAddress {
  family: 'ipv4' | 'ipv6'
  /** The address part as typed (lower case for IPv6). */
  address: string
  /** The prefix length: 32 or 128 for a single address. */
  prefix: number
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

function isIpv6(text: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(text) || text.length > 45) return false
  const doubleColons = text.split('::').length - 1
  if (doubleColons > 1) return false
  const groups = text.split(':')
  // An embedded IPv4 address (::ffff:192.0.2.1) counts as two groups.
  const last = groups[groups.length - 1] ?? ''
  const v4 = last.includes('.')
  if (v4 && !IPV4.test(last)) return false
  const hexGroups = v4 ? groups.slice(0, -1) : groups
  if (!hexGroups.every((group) => group === '' || /^[0-9a-f]{1,4}$/i.test(group))) return false
  const count = hexGroups.filter((group) => group !== '').length + (v4 ? 2 : 0)
  return doubleColons === 1 ? count < 8 : count === 8 && !text.startsWith(':') && !text.endsWith(':')
}

/** The address or block, or null when it is neither. */
export function parseClientAddress(text: string): ClientAddress | null {
  const trimmed = text.trim()
  const [address = '', prefixText, extra] = trimmed.split('/')
  if (extra !== undefined) return null
  const family = IPV4.test(address) ? 'ipv4' : isIpv6(address) ? 'ipv6' : null
  if (family === null) return null
  const max = family === 'ipv4' ? 32 : 128
  if (prefixText === undefined) return { family, address: address.toLowerCase(), prefix: max }
  if (!/^\d{1,3}$/.test(prefixText)) return null
  const prefix = Number(prefixText)
  return prefix <= max ? { family, address: address.toLowerCase(), prefix } : null
}

export function formatClientAddress(address: ClientAddress): string {
  const max = address.family === 'ipv4' ? 32 : 128
  return address.prefix === max ? address.address : `${address.address}/${address.prefix}`
}

// The RADIUS packet codes and attributes the service reads or writes (RFC 2865,
// RFC 2869, RFC 5997), the getters it reads a decoded packet with, the builders
// of the attributes it answers with, and printable(), the one way a value that
// came off the network is written into a log line.
//
// This file imports nothing: packet.ts (the decoder) builds on it.

export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  StatusClient: 13
} as const

/** The answers a RADIUS authentication server sends (RFC 5997: Status-Server is answered with Access-Accept). */
export type ResponseCode = typeof RadiusCode.AccessAccept | typeof RadiusCode.AccessReject | typeof RadiusCode.AccessChallenge

/** The requests our client side (tests, health checks) can build. */
export type RequestCode = typeof RadiusCode.AccessRequest | typeof RadiusCode.StatusServer

export const AttributeType = {
  UserName: 1,
  UserPassword: 2,
  ChapPassword: 3,
  NasIpAddress: 4,
  NasPort: 5,
  ReplyMessage: 18,
  State: 24,
  CallingStationId: 31,
  NasIdentifier: 32,
  MessageAuthenticator: 80
} as const

/** One attribute as it is on the wire: its type and its value (at most 253 bytes). */
export interface RadiusAttribute {
  readonly type: number
  readonly value: Buffer
}

/** What the getters need of a packet: its attributes, in the order they came. */
export interface HasAttributes {
  readonly attributes: readonly RadiusAttribute[]
}

/** An attribute's Length octet counts its own two header octets: 255 - 2. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 253
export const MESSAGE_AUTHENTICATOR_LENGTH = 16

/**
 * The attributes RFC 2865 §5.44 (and RFC 2869 §5.19 for Message-Authenticator)
 * allow at most once in any Access packet: a second one makes the packet
 * ambiguous (which User-Name was checked, which one logged?), so the decoder
 * refuses it.
 */
export const SINGLE_ATTRIBUTES: ReadonlySet<number> = new Set([
  AttributeType.UserName,
  AttributeType.UserPassword,
  AttributeType.ChapPassword,
  AttributeType.NasIpAddress,
  AttributeType.NasPort,
  AttributeType.State,
  AttributeType.CallingStationId,
  AttributeType.NasIdentifier,
  AttributeType.MessageAuthenticator
])

/** Attributes whose value has one size only (RFC 2865 §5.4 and §5.5, RFC 2869 §5.14). */
export const FIXED_LENGTHS: ReadonlyMap<number, number> = new Map([
  [AttributeType.NasIpAddress, 4],
  [AttributeType.NasPort, 4],
  [AttributeType.MessageAuthenticator, MESSAGE_AUTHENTICATOR_LENGTH]
])

/** Text the service matches on: refused by the decoder unless it is valid UTF-8 (RFC 2865 §5: "text" is UTF-8). */
export const STRICT_TEXT_ATTRIBUTES: ReadonlySet<number> = new Set([AttributeType.UserName])

export function attributeValues(packet: HasAttributes, type: number): Buffer[] {
  return packet.attributes.filter((attribute) => attribute.type === type).map((attribute) => attribute.value)
}

/** The first value of this type, or undefined. */
export function attributeValue(packet: HasAttributes, type: number): Buffer | undefined {
  return packet.attributes.find((attribute) => attribute.type === type)?.value
}

/**
 * Text as it came, control characters and all: the service compares it as is.
 * Write it to a log only through printable(). Bytes that are not UTF-8 become U+FFFD
 * (User-Name never has any: the decoder refuses it).
 */
function textValue(packet: HasAttributes, type: number): string | undefined {
  return attributeValue(packet, type)?.toString('utf8')
}

export const userNameOf = (packet: HasAttributes): string | undefined => textValue(packet, AttributeType.UserName)
/** The hidden password as sent (RFC 2865 §5.2): open it with decryptUserPassword(). */
export const userPasswordOf = (packet: HasAttributes): Buffer | undefined => attributeValue(packet, AttributeType.UserPassword)
export const stateOf = (packet: HasAttributes): Buffer | undefined => attributeValue(packet, AttributeType.State)
export const messageAuthenticatorOf = (packet: HasAttributes): Buffer | undefined => attributeValue(packet, AttributeType.MessageAuthenticator)
export const nasIdentifierOf = (packet: HasAttributes): string | undefined => textValue(packet, AttributeType.NasIdentifier)
export const callingStationIdOf = (packet: HasAttributes): string | undefined => textValue(packet, AttributeType.CallingStationId)

/** Every Reply-Message, joined in order (RFC 2865 §5.18: they are shown in the order they came). */
export function replyMessageOf(packet: HasAttributes): string | undefined {
  const parts = attributeValues(packet, AttributeType.ReplyMessage)
  return parts.length === 0 ? undefined : Buffer.concat(parts).toString('utf8')
}

/** NAS-IP-Address as a dotted quad (the decoder has checked it is 4 bytes). */
export function nasIpAddressOf(packet: HasAttributes): string | undefined {
  const value = attributeValue(packet, AttributeType.NasIpAddress)
  return value === undefined || value.length !== 4 ? undefined : Array.from(value).join('.')
}

/**
 * Text as Reply-Message attributes: one per 253 bytes, cut between characters
 * (never inside one: each Reply-Message is UTF-8 on its own). Empty text gives
 * none (RFC 2865 forbids an empty Reply-Message).
 */
export function replyMessageAttributes(text: string): RadiusAttribute[] {
  const attributes: RadiusAttribute[] = []
  let chunk: Buffer[] = []
  let size = 0
  for (const character of text) {
    const bytes = Buffer.from(character, 'utf8')
    if (size + bytes.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      attributes.push({ type: AttributeType.ReplyMessage, value: Buffer.concat(chunk, size) })
      chunk = []
      size = 0
    }
    chunk.push(bytes)
    size += bytes.length
  }
  if (size > 0) attributes.push({ type: AttributeType.ReplyMessage, value: Buffer.concat(chunk, size) })
  return attributes
}

export function stateAttribute(state: Buffer): RadiusAttribute {
  return { type: AttributeType.State, value: state }
}

export function textAttribute(type: number, text: string): RadiusAttribute {
  return { type, value: Buffer.from(text, 'utf8') }
}

/** Characters that would let a value forge or hide parts of a log line: escaped by printable(). */
function needsEscape(codePoint: number): boolean {
  return (
    codePoint < 0x20 || // C0 controls: newlines, escape sequences for terminals
    (codePoint >= 0x7f && codePoint <= 0x9f) || // DEL and the C1 controls
    (codePoint >= 0xd800 && codePoint <= 0xdfff) || // a lone surrogate
    (codePoint >= 0x200b && codePoint <= 0x200f) || // zero-width characters, direction marks
    (codePoint >= 0x2028 && codePoint <= 0x202e) || // line and paragraph separators, embeddings and overrides
    (codePoint >= 0x2066 && codePoint <= 0x2069) || // bidirectional isolates
    codePoint === 0x061c ||
    codePoint === 0xfeff
  )
}

/**
 * A value from the network, safe for one line of a log: control, invisible and
 * direction characters, backslashes and double quotes escaped (so the caller may
 * quote it), cut to `max` characters with an ellipsis. Bytes are read as UTF-8.
 */
export function printable(value: string | Buffer, max = 128): string {
  const text = typeof value === 'string' ? value : value.toString('utf8')
  let out = ''
  let count = 0
  for (const character of text) {
    if (count === max) return `${out}…`
    const codePoint = character.codePointAt(0) ?? 0
    if (character === '\\' || character === '"') out += `\\${character}`
    else if (codePoint <= 0xff && needsEscape(codePoint)) out += `\\x${codePoint.toString(16).padStart(2, '0')}`
    else if (needsEscape(codePoint)) out += `\\u{${codePoint.toString(16)}}`
    else out += character
    count += 1
  }
  return out
}

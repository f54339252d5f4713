// The decoder of RADIUS packets (RFC 2865 §3 and §5): strict, because every
// byte it reads came from the network before anything was verified. Anything
// malformed is a RadiusPacketError (the service logs its reason and discards
// the packet); nothing else is thrown, and nothing is allocated from a length
// in the packet before it was checked against the 4096-byte bound.
//
// Decoding checks the form only. Whether the packet comes from a client that
// knows the shared secret is packet-auth.ts (verifyRequestMessageAuthenticator).
import { isUtf8 } from 'node:buffer'
import { FIXED_LENGTHS, SINGLE_ATTRIBUTES, STRICT_TEXT_ATTRIBUTES, type HasAttributes, type RadiusAttribute } from './attributes'

/** Code, Identifier, Length, Authenticator. */
export const RADIUS_HEADER_LENGTH = 20
/** RFC 2865 §3: the largest packet. */
export const RADIUS_MAX_PACKET_LENGTH = 4096
/** More than any real request carries; a packet of thousands of empty attributes is an attack, not a login. */
export const MAX_ATTRIBUTES = 255
export const AUTHENTICATOR_LENGTH = 16

/** What was wrong, as a word the service can count; `reason` says it in full for the log. */
export type RadiusPacketFault =
  | 'too-short'
  | 'bad-length'
  | 'truncated'
  | 'bad-attribute-length'
  | 'too-many-attributes'
  | 'duplicate-attribute'
  | 'bad-attribute-value'
  // The client side only (packet-client.ts): an answer that is not to our request, or not from the server.
  | 'not-an-answer'
  | 'not-authentic'

export class RadiusPacketError extends Error {
  override readonly name = 'RadiusPacketError'
  /** Never holds a value from the packet: only sizes, offsets and attribute types. */
  readonly reason: string

  constructor(
    readonly fault: RadiusPacketFault,
    reason: string
  ) {
    super(`malformed RADIUS packet: ${reason}`)
    this.reason = reason
  }
}

/** An attribute of a decoded packet; `offset` is where its value starts in `raw`. */
export interface DecodedAttribute extends RadiusAttribute {
  readonly offset: number
}

export interface DecodedPacket extends HasAttributes {
  readonly code: number
  readonly identifier: number
  /** The Request Authenticator of a request, the Response Authenticator of a response. */
  readonly authenticator: Buffer
  readonly attributes: readonly DecodedAttribute[]
  /** The packet's own bytes (as many as its Length field says), a private copy the values point into. */
  readonly raw: Buffer
}

/**
 * Reads one datagram. Bytes after the Length field's end are ignored (RFC 2865 §3:
 * padding); a datagram shorter than its Length field is refused.
 */
export function decodePacket(datagram: Buffer): DecodedPacket {
  if (!Buffer.isBuffer(datagram)) throw new RadiusPacketError('too-short', 'not a byte buffer')
  if (datagram.length < RADIUS_HEADER_LENGTH) {
    throw new RadiusPacketError('too-short', `${datagram.length} bytes, under the ${RADIUS_HEADER_LENGTH}-byte header`)
  }
  const length = datagram.readUInt16BE(2)
  if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_PACKET_LENGTH) {
    throw new RadiusPacketError('bad-length', `Length field ${length} is outside ${RADIUS_HEADER_LENGTH}..${RADIUS_MAX_PACKET_LENGTH}`)
  }
  if (length > datagram.length) {
    throw new RadiusPacketError('truncated', `Length field ${length} is more than the ${datagram.length} bytes received`)
  }
  // A copy, at most 4096 bytes: the values must not change under us if the caller reuses its buffer.
  const raw = Buffer.from(datagram.subarray(0, length))
  const attributes = readAttributes(raw)
  checkAttributes(attributes)
  return {
    code: raw[0] ?? 0,
    identifier: raw[1] ?? 0,
    authenticator: raw.subarray(4, RADIUS_HEADER_LENGTH),
    attributes,
    raw
  }
}

function readAttributes(raw: Buffer): DecodedAttribute[] {
  const attributes: DecodedAttribute[] = []
  let offset = RADIUS_HEADER_LENGTH
  while (offset < raw.length) {
    if (attributes.length === MAX_ATTRIBUTES) {
      throw new RadiusPacketError('too-many-attributes', `more than ${MAX_ATTRIBUTES} attributes`)
    }
    if (raw.length - offset < 2) {
      throw new RadiusPacketError('bad-attribute-length', `an attribute header at byte ${offset} runs past the end (${raw.length})`)
    }
    const type = raw[offset] ?? 0
    const attributeLength = raw[offset + 1] ?? 0
    if (attributeLength < 2) {
      throw new RadiusPacketError('bad-attribute-length', `attribute ${type} at byte ${offset} has length ${attributeLength}, under 2`)
    }
    if (offset + attributeLength > raw.length) {
      throw new RadiusPacketError('bad-attribute-length', `attribute ${type} at byte ${offset} (length ${attributeLength}) runs past the end (${raw.length})`)
    }
    attributes.push({ type, value: raw.subarray(offset + 2, offset + attributeLength), offset: offset + 2 })
    offset += attributeLength
  }
  return attributes
}

function checkAttributes(attributes: readonly DecodedAttribute[]): void {
  const seen = new Set<number>()
  for (const { type, value } of attributes) {
    if (SINGLE_ATTRIBUTES.has(type)) {
      if (seen.has(type)) throw new RadiusPacketError('duplicate-attribute', `attribute ${type} appears more than once`)
      seen.add(type)
    }
    const fixed = FIXED_LENGTHS.get(type)
    if (fixed !== undefined && value.length !== fixed) {
      throw new RadiusPacketError('bad-attribute-value', `attribute ${type} has ${value.length} bytes, not ${fixed}`)
    }
    if (STRICT_TEXT_ATTRIBUTES.has(type) && !isUtf8(value)) {
      throw new RadiusPacketError('bad-attribute-value', `attribute ${type} is not valid UTF-8`)
    }
  }
}

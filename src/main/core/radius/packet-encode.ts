// The encoder of the service's answers: Access-Accept, Access-Reject and
// Access-Challenge (also the Access-Accept that answers a Status-Server,
// RFC 5997 §3). Every answer carries a Message-Authenticator as its FIRST
// attribute (the BlastRADIUS advisory, CVE-2024-3596: a forged answer would
// have to be built around it), then its Reply-Messages, its State and any
// other attributes; the Response Authenticator is computed last, over all of them.
//
// Mistakes of the caller (an empty value or one over 253 bytes, an answer over 4096 bytes,
// a Message-Authenticator of its own) are a RangeError: they never come from a packet.
import { AttributeType, MAX_ATTRIBUTE_VALUE_LENGTH, MESSAGE_AUTHENTICATOR_LENGTH, RadiusCode, replyMessageAttributes, stateAttribute, type RadiusAttribute, type ResponseCode } from './attributes'
import { AUTHENTICATOR_LENGTH, RADIUS_HEADER_LENGTH, RADIUS_MAX_PACKET_LENGTH } from './packet'
import { computeMessageAuthenticator, computeResponseAuthenticator, type SharedSecret } from './packet-auth'

export interface ResponseSpec {
  code: ResponseCode
  /** The request's Identifier. */
  identifier: number
  /** The request's Request Authenticator. */
  requestAuthenticator: Buffer
  /** Split into as many Reply-Message attributes as it needs (253 bytes each). */
  replyMessage?: string
  /** For an Access-Challenge: the State the next request must bring back. */
  state?: Buffer
  /** Anything else, written after the others in this order. */
  attributes?: readonly RadiusAttribute[]
}

const RESPONSE_CODES: ReadonlySet<number> = new Set([RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge])

/** The offset of the Message-Authenticator's value when it is the first attribute. */
export const FIRST_ATTRIBUTE_VALUE_OFFSET = RADIUS_HEADER_LENGTH + 2

/**
 * A packet with a zeroed Message-Authenticator first, then `attributes`, and
 * `authenticator` in its authenticator field. The caller signs it.
 */
export function assemblePacket(code: number, identifier: number, authenticator: Buffer, attributes: readonly RadiusAttribute[]): Buffer {
  if (!Number.isInteger(identifier) || identifier < 0 || identifier > 255) throw new RangeError(`A RADIUS Identifier is 0..255, not ${identifier}.`)
  if (authenticator.length !== AUTHENTICATOR_LENGTH) throw new RangeError(`A RADIUS authenticator is ${AUTHENTICATOR_LENGTH} bytes, not ${authenticator.length}.`)
  let length = RADIUS_HEADER_LENGTH + 2 + MESSAGE_AUTHENTICATOR_LENGTH
  for (const { type, value } of attributes) {
    if (type === AttributeType.MessageAuthenticator) throw new RangeError('The encoder writes the only Message-Authenticator itself.')
    if (!Number.isInteger(type) || type < 1 || type > 255) throw new RangeError(`A RADIUS attribute type is 1..255, not ${type}.`)
    // Never an empty value either (RFC 2865 §5: text and string values are one or more octets).
    if (value.length < 1 || value.length > MAX_ATTRIBUTE_VALUE_LENGTH) throw new RangeError(`Attribute ${type} has ${value.length} bytes, not 1..${MAX_ATTRIBUTE_VALUE_LENGTH}.`)
    length += 2 + value.length
  }
  if (length > RADIUS_MAX_PACKET_LENGTH) throw new RangeError(`The packet would be ${length} bytes, over ${RADIUS_MAX_PACKET_LENGTH}.`)

  const packet = Buffer.alloc(length)
  packet[0] = code
  packet[1] = identifier
  packet.writeUInt16BE(length, 2)
  authenticator.copy(packet, 4)
  packet[RADIUS_HEADER_LENGTH] = AttributeType.MessageAuthenticator
  packet[RADIUS_HEADER_LENGTH + 1] = 2 + MESSAGE_AUTHENTICATOR_LENGTH
  let offset = FIRST_ATTRIBUTE_VALUE_OFFSET + MESSAGE_AUTHENTICATOR_LENGTH
  for (const { type, value } of attributes) {
    packet[offset] = type
    packet[offset + 1] = 2 + value.length
    value.copy(packet, offset + 2)
    offset += 2 + value.length
  }
  return packet
}

/** An answer to a request, signed with the client's shared secret. */
export function encodeResponse(spec: ResponseSpec, secret: SharedSecret): Buffer {
  if (!RESPONSE_CODES.has(spec.code)) throw new RangeError(`${spec.code} is not Access-Accept, Access-Reject or Access-Challenge.`)
  const attributes = [
    ...(spec.replyMessage === undefined ? [] : replyMessageAttributes(spec.replyMessage)),
    ...(spec.state === undefined ? [] : [stateAttribute(spec.state)]),
    ...(spec.attributes ?? [])
  ]
  // The request's authenticator sits in the field while both are computed (RFC 3579 §3.2, RFC 2865 §3).
  const packet = assemblePacket(spec.code, spec.identifier, spec.requestAuthenticator, attributes)
  computeMessageAuthenticator(packet, FIRST_ATTRIBUTE_VALUE_OFFSET, secret).copy(packet, FIRST_ATTRIBUTE_VALUE_OFFSET)
  computeResponseAuthenticator(packet, spec.requestAuthenticator, secret).copy(packet, 4)
  return packet
}

// The client side of the codec: what a NAS does. The service never sends
// requests; the tests build theirs with this (and a health check could), so
// it is as strict as a client should be since BlastRADIUS: every request
// carries a Message-Authenticator (first), and an answer is taken only when
// its Identifier matches, its Response Authenticator verifies and its
// Message-Authenticator is there and verifies.
import { randomBytes } from 'node:crypto'
import { AttributeType, MESSAGE_AUTHENTICATOR_LENGTH, RadiusCode, stateAttribute, textAttribute, type RadiusAttribute, type RequestCode } from './attributes'
import { AUTHENTICATOR_LENGTH, RadiusPacketError, decodePacket, type DecodedPacket } from './packet'
import { computeMessageAuthenticator, computeResponseAuthenticator, hideUserPassword, sameAuthenticator, type SharedSecret } from './packet-auth'
import { FIRST_ATTRIBUTE_VALUE_OFFSET, assemblePacket } from './packet-encode'

export interface RequestSpec {
  /** Access-Request unless said. */
  code?: RequestCode
  identifier: number
  /** Random unless given (RFC 2865 §3: unpredictable, never reused with the same secret). */
  authenticator?: Buffer
  userName?: string
  /** Hidden with the secret and the authenticator (RFC 2865 §5.2). */
  password?: string | Buffer
  state?: Buffer
  /** Anything else, written in this order after the others. */
  attributes?: readonly RadiusAttribute[]
}

export interface EncodedRequest {
  packet: Buffer
  identifier: number
  authenticator: Buffer
}

/** A request signed with a Message-Authenticator. Remove it with withoutMessageAuthenticator() to test a server's refusal. */
export function encodeRequest(spec: RequestSpec, secret: SharedSecret): EncodedRequest {
  const code = spec.code ?? RadiusCode.AccessRequest
  const authenticator = spec.authenticator ?? randomBytes(AUTHENTICATOR_LENGTH)
  const attributes: RadiusAttribute[] = []
  if (spec.userName !== undefined) attributes.push(textAttribute(AttributeType.UserName, spec.userName))
  if (spec.password !== undefined) attributes.push({ type: AttributeType.UserPassword, value: hideUserPassword(spec.password, secret, authenticator) })
  if (spec.state !== undefined) attributes.push(stateAttribute(spec.state))
  attributes.push(...(spec.attributes ?? []))
  const packet = assemblePacket(code, spec.identifier, authenticator, attributes)
  computeMessageAuthenticator(packet, FIRST_ATTRIBUTE_VALUE_OFFSET, secret).copy(packet, FIRST_ATTRIBUTE_VALUE_OFFSET)
  return { packet, identifier: spec.identifier, authenticator }
}

/**
 * The same request without its (first) Message-Authenticator, Length adjusted:
 * what an old or forged client sends. Only for packets from encodeRequest().
 */
export function withoutMessageAuthenticator(packet: Buffer): Buffer {
  const header = FIRST_ATTRIBUTE_VALUE_OFFSET - 2
  if (packet[header] !== AttributeType.MessageAuthenticator) throw new RangeError('The first attribute is not a Message-Authenticator.')
  const stripped = Buffer.concat([packet.subarray(0, header), packet.subarray(FIRST_ATTRIBUTE_VALUE_OFFSET + MESSAGE_AUTHENTICATOR_LENGTH)])
  stripped.writeUInt16BE(stripped.length, 2)
  return stripped
}

const ANSWERS: ReadonlySet<number> = new Set([RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge])

/** An answer to `request`, decoded once it is proved authentic; a RadiusPacketError otherwise. */
export function decodeResponse(datagram: Buffer, request: { identifier: number; authenticator: Buffer }, secret: SharedSecret): DecodedPacket {
  const response = decodePacket(datagram)
  if (!ANSWERS.has(response.code)) throw new RadiusPacketError('not-an-answer', `code ${response.code} is not an answer to an Access-Request`)
  if (response.identifier !== request.identifier) {
    throw new RadiusPacketError('not-an-answer', `Identifier ${response.identifier} does not match the request's ${request.identifier}`)
  }
  if (!sameAuthenticator(computeResponseAuthenticator(response.raw, request.authenticator, secret), response.authenticator)) {
    throw new RadiusPacketError('not-authentic', 'the Response Authenticator does not verify')
  }
  const signatures = response.attributes.filter((attribute) => attribute.type === AttributeType.MessageAuthenticator)
  const signature = signatures[0]
  if (signature === undefined) throw new RadiusPacketError('not-authentic', 'the answer has no Message-Authenticator')
  const expected = computeMessageAuthenticator(response.raw, signature.offset, secret, request.authenticator)
  if (!sameAuthenticator(expected, signature.value)) throw new RadiusPacketError('not-authentic', 'the Message-Authenticator does not verify')
  return response
}

// What the shared secret proves and hides in a RADIUS packet:
// - User-Password hiding (RFC 2865 §5.2);
// - Message-Authenticator (RFC 2869 §5.14, RFC 3579 §3.2): HMAC-MD5 keyed by
//   the secret over the whole packet with its own value zeroed; a response's is
//   computed with the Request Authenticator in the authenticator field. Since
//   BlastRADIUS (CVE-2024-3596) it is required in every Access-Request and is
//   the first attribute of every response: the MD5 Response Authenticator
//   alone can be forged by a chosen-prefix collision;
// - the Response Authenticator (RFC 2865 §3).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { AttributeType, MESSAGE_AUTHENTICATOR_LENGTH, RadiusCode } from './attributes'
import { AUTHENTICATOR_LENGTH, RADIUS_HEADER_LENGTH, RadiusPacketError, type DecodedPacket } from './packet'

/** A shared secret: bytes, or text taken as UTF-8. */
export type SharedSecret = Buffer | string

/** RFC 2865 §5.2: the hidden password is 16..128 bytes, a multiple of 16. */
export const MAX_PASSWORD_LENGTH = 128
const BLOCK = 16

export function secretBytes(secret: SharedSecret): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret
  // An empty secret would make every check pass for anyone: a mistake of the caller, never a packet.
  if (bytes.length === 0) throw new RangeError('A RADIUS shared secret cannot be empty.')
  return bytes
}

function checkAuthenticator(authenticator: Buffer): void {
  if (authenticator.length !== AUTHENTICATOR_LENGTH) throw new RangeError(`A RADIUS authenticator is ${AUTHENTICATOR_LENGTH} bytes, not ${authenticator.length}.`)
}

/**
 * Both directions of RFC 2865 §5.2: b(1) = MD5(S + RA), b(i) = MD5(S + c(i-1)),
 * c(i) = p(i) xor b(i). `hiding` says which side of the xor is the ciphertext.
 */
function xorChain(input: Buffer, secret: Buffer, requestAuthenticator: Buffer, hiding: boolean): Buffer {
  const output = Buffer.alloc(input.length)
  let previous = requestAuthenticator
  for (let start = 0; start < input.length; start += BLOCK) {
    const b = createHash('md5').update(secret).update(previous).digest()
    for (let i = 0; i < BLOCK; i += 1) output[start + i] = (input[start + i] ?? 0) ^ (b[i] ?? 0)
    previous = (hiding ? output : input).subarray(start, start + BLOCK)
  }
  return output
}

/** The User-Password value for a password (client side): NUL-padded to a multiple of 16, then hidden. */
export function hideUserPassword(password: Buffer | string, secret: SharedSecret, requestAuthenticator: Buffer): Buffer {
  checkAuthenticator(requestAuthenticator)
  const plain = typeof password === 'string' ? Buffer.from(password, 'utf8') : password
  if (plain.length > MAX_PASSWORD_LENGTH) throw new RangeError(`A RADIUS password is at most ${MAX_PASSWORD_LENGTH} bytes, not ${plain.length}.`)
  const padded = Buffer.alloc(Math.max(BLOCK, Math.ceil(plain.length / BLOCK) * BLOCK))
  plain.copy(padded)
  const hidden = xorChain(padded, secretBytes(secret), requestAuthenticator, true)
  padded.fill(0)
  return hidden
}

/**
 * The password of a User-Password value, trailing NULs (the padding) removed.
 * A value that is not 16..128 bytes in blocks of 16 is malformed. The caller
 * holds the password in the returned buffer: fill(0) it when done.
 */
export function decryptUserPassword(hidden: Buffer, secret: SharedSecret, requestAuthenticator: Buffer): Buffer {
  checkAuthenticator(requestAuthenticator)
  if (hidden.length < BLOCK || hidden.length > MAX_PASSWORD_LENGTH || hidden.length % BLOCK !== 0) {
    throw new RadiusPacketError('bad-attribute-value', `User-Password has ${hidden.length} bytes, not 16..128 in blocks of 16`)
  }
  const plain = xorChain(hidden, secretBytes(secret), requestAuthenticator, false)
  let end = plain.length
  while (end > 0 && plain[end - 1] === 0) end -= 1
  return plain.subarray(0, end)
}

/**
 * HMAC-MD5 over `packet` with the 16 bytes at `valueOffset` (the Message-Authenticator's
 * value) read as zeros and, when given, `authenticator` in the authenticator field.
 * `packet` itself is not changed.
 */
export function computeMessageAuthenticator(packet: Buffer, valueOffset: number, secret: SharedSecret, authenticator?: Buffer): Buffer {
  if (valueOffset < RADIUS_HEADER_LENGTH + 2 || valueOffset + MESSAGE_AUTHENTICATOR_LENGTH > packet.length) {
    throw new RangeError(`No room for a Message-Authenticator at byte ${valueOffset} of ${packet.length}.`)
  }
  const signed = Buffer.from(packet)
  signed.fill(0, valueOffset, valueOffset + MESSAGE_AUTHENTICATOR_LENGTH)
  if (authenticator !== undefined) {
    checkAuthenticator(authenticator)
    authenticator.copy(signed, 4)
  }
  return createHmac('md5', secretBytes(secret)).update(signed).digest()
}

/**
 * True only for an Access-Request or Status-Server whose one Message-Authenticator
 * verifies under `secret`. A packet without one is false: BlastRADIUS (CVE-2024-3596)
 * makes it required, and RFC 5997 §3 always did for Status-Server.
 */
export function verifyRequestMessageAuthenticator(packet: DecodedPacket, secret: SharedSecret): boolean {
  if (packet.code !== RadiusCode.AccessRequest && packet.code !== RadiusCode.StatusServer) return false
  const found = packet.attributes.filter((attribute) => attribute.type === AttributeType.MessageAuthenticator)
  const attribute = found[0]
  if (found.length !== 1 || attribute === undefined || attribute.value.length !== MESSAGE_AUTHENTICATOR_LENGTH) return false
  const expected = computeMessageAuthenticator(packet.raw, attribute.offset, secret)
  return timingSafeEqual(expected, attribute.value)
}

/**
 * RFC 2865 §3: MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret),
 * for a response whose attributes (its Message-Authenticator included) are final.
 * Whatever is in the response's authenticator field is ignored.
 */
export function computeResponseAuthenticator(response: Buffer, requestAuthenticator: Buffer, secret: SharedSecret): Buffer {
  checkAuthenticator(requestAuthenticator)
  if (response.length < RADIUS_HEADER_LENGTH) throw new RangeError(`A RADIUS packet is at least ${RADIUS_HEADER_LENGTH} bytes, not ${response.length}.`)
  return createHash('md5')
    .update(response.subarray(0, 4))
    .update(requestAuthenticator)
    .update(response.subarray(RADIUS_HEADER_LENGTH))
    .update(secretBytes(secret))
    .digest()
}

/** Compares two authenticators in constant time (false when their sizes differ). */
export function sameAuthenticator(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

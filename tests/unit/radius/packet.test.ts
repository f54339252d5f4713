// The RADIUS codec against the RFCs' own examples (RFC 2865 §7.1, RFC 5997 §6.1),
// then round trips, the Message-Authenticator (one flipped bit anywhere fails)
// and User-Password hiding at every length.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  AttributeType,
  RadiusCode,
  attributeValue,
  callingStationIdOf,
  messageAuthenticatorOf,
  nasIdentifierOf,
  nasIpAddressOf,
  printable,
  replyMessageAttributes,
  replyMessageOf,
  stateOf,
  textAttribute,
  userNameOf,
  userPasswordOf
} from '../../../src/main/core/radius/attributes'
import { RadiusPacketError, decodePacket } from '../../../src/main/core/radius/packet'
import { computeResponseAuthenticator, decryptUserPassword, hideUserPassword, verifyRequestMessageAuthenticator } from '../../../src/main/core/radius/packet-auth'
import { decodeResponse, encodeRequest, withoutMessageAuthenticator } from '../../../src/main/core/radius/packet-client'
import { encodeResponse } from '../../../src/main/core/radius/packet-encode'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

// RFC 2865 §7.1, "User Telnet to Specified Host": nemo, password "arctangent", secret "xyzzy5461".
const RFC2865_SECRET = 'xyzzy5461'
const RFC2865_REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb
  98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee
  04 06 c0 a8 01 10 05 06 00 00 00 03`)
const RFC2865_ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf
  9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03`)
// RFC 5997 §6.1, "Minimal Query to Authentication Port": a Status-Server with only a Message-Authenticator.
const RFC5997_STATUS_SERVER = hex(`0c da 00 26 8a 54 f4 68 6f b3 94 c5 28 66 e3 02
  18 5d 06 23 50 12 5a 66 5e 2e 1e 84 11 f3 e2 43 82 20 97 c8 4f a3`)

const SECRET = 'a-shared-secret-of-32-characters'

function malformed(run: () => unknown): RadiusPacketError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(RadiusPacketError)
    return error as RadiusPacketError
  }
  throw new Error('expected a RadiusPacketError')
}

/** A check made without the codec: RFC 3579 §3.2 and RFC 2865 §3 written out again. */
function independentlyAuthentic(response: Buffer, requestAuthenticator: Buffer, secret: string): boolean {
  const withRequestAuthenticator = Buffer.from(response)
  requestAuthenticator.copy(withRequestAuthenticator, 4)
  const responseAuthenticator = createHash('md5').update(withRequestAuthenticator).update(secret).digest()
  const zeroed = Buffer.from(withRequestAuthenticator)
  zeroed.fill(0, 22, 38)
  const messageAuthenticator = createHmac('md5', secret).update(zeroed).digest()
  return response[20] === 80 && response[21] === 18 && response.subarray(22, 38).equals(messageAuthenticator) && response.subarray(4, 20).equals(responseAuthenticator)
}

describe('the RFC 2865 §7.1 example', () => {
  it('decodes the Access-Request and opens the password "arctangent"', () => {
    const packet = decodePacket(RFC2865_REQUEST)
    expect(packet).toMatchObject({ code: RadiusCode.AccessRequest, identifier: 0 })
    expect(packet.authenticator).toEqual(hex('0f403f9473978057bd83d5cb98f4227a'))
    expect(userNameOf(packet)).toBe('nemo')
    expect(nasIpAddressOf(packet)).toBe('192.168.1.16')
    expect(attributeValue(packet, AttributeType.NasPort)).toEqual(hex('00000003'))
    expect(userPasswordOf(packet)).toEqual(hex('0dbe708d93d413ce3196e43f782a0aee'))
    expect(decryptUserPassword(userPasswordOf(packet) ?? Buffer.alloc(0), RFC2865_SECRET, packet.authenticator).toString()).toBe('arctangent')
  })

  it('hides "arctangent" into the very bytes of the example', () => {
    expect(hideUserPassword('arctangent', RFC2865_SECRET, hex('0f403f9473978057bd83d5cb98f4227a'))).toEqual(hex('0dbe708d93d413ce3196e43f782a0aee'))
  })

  it('computes the Response Authenticator of the example Access-Accept', () => {
    const authenticator = computeResponseAuthenticator(RFC2865_ACCEPT, decodePacket(RFC2865_REQUEST).authenticator, RFC2865_SECRET)
    expect(authenticator).toEqual(hex('86fe220e7624ba2a1005f6bf9b55e0b2'))
  })

  it('has no Message-Authenticator, so it is not taken any more (BlastRADIUS)', () => {
    expect(verifyRequestMessageAuthenticator(decodePacket(RFC2865_REQUEST), RFC2865_SECRET)).toBe(false)
  })
})

describe('the RFC 5997 §6.1 example', () => {
  it('decodes the Status-Server and verifies its Message-Authenticator under "xyzzy5461" only', () => {
    const packet = decodePacket(RFC5997_STATUS_SERVER)
    expect(packet).toMatchObject({ code: RadiusCode.StatusServer, identifier: 218 })
    expect(messageAuthenticatorOf(packet)).toEqual(hex('5a665e2e1e8411f3e243822097c84fa3'))
    expect(verifyRequestMessageAuthenticator(packet, RFC2865_SECRET)).toBe(true)
    expect(verifyRequestMessageAuthenticator(packet, 'xyzzy5462')).toBe(false)
  })

  it('is answered with an Access-Accept that carries a Message-Authenticator first, checked independently', () => {
    const request = decodePacket(RFC5997_STATUS_SERVER)
    const response = encodeResponse({ code: RadiusCode.AccessAccept, identifier: request.identifier, requestAuthenticator: request.authenticator }, RFC2865_SECRET)
    expect(response.subarray(0, 4)).toEqual(hex('02 da 00 26'))
    expect(independentlyAuthentic(response, request.authenticator, RFC2865_SECRET)).toBe(true)
    expect(decodeResponse(response, request, RFC2865_SECRET).code).toBe(RadiusCode.AccessAccept)
  })
})

describe('a round trip', () => {
  it('carries user name, password, State and the NAS attributes from request to server', () => {
    const state = randomBytes(32)
    const request = encodeRequest(
      {
        identifier: 7,
        userName: 'maria@example.com',
        password: 'correct horse 123456',
        state,
        attributes: [
          { type: AttributeType.NasIpAddress, value: hex('0a000001') },
          textAttribute(AttributeType.NasIdentifier, 'vpn-gw-1'),
          textAttribute(AttributeType.CallingStationId, '02-00-00-00-00-01')
        ]
      },
      SECRET
    )
    const packet = decodePacket(request.packet)
    expect(packet.attributes[0]?.type).toBe(AttributeType.MessageAuthenticator)
    expect(verifyRequestMessageAuthenticator(packet, SECRET)).toBe(true)
    expect(userNameOf(packet)).toBe('maria@example.com')
    expect(decryptUserPassword(userPasswordOf(packet) ?? Buffer.alloc(0), SECRET, packet.authenticator).toString()).toBe('correct horse 123456')
    expect(stateOf(packet)).toEqual(state)
    expect([nasIpAddressOf(packet), nasIdentifierOf(packet), callingStationIdOf(packet)]).toEqual(['10.0.0.1', 'vpn-gw-1', '02-00-00-00-00-01'])
  })

  it('answers with Message-Authenticator first, then Reply-Messages cut at 253 bytes between characters, then State', () => {
    const request = encodeRequest({ identifier: 200, userName: 'maria', password: 'pw' }, SECRET)
    const message = `${'é'.repeat(200)} — ${'x'.repeat(300)} ✓`
    const state = randomBytes(16)
    const response = encodeResponse({ code: RadiusCode.AccessChallenge, identifier: 200, requestAuthenticator: request.authenticator, replyMessage: message, state }, SECRET)
    const decoded = decodeResponse(response, request, SECRET)
    expect(decoded.attributes.map((attribute) => attribute.type)).toEqual([80, 18, 18, 18, 24])
    for (const attribute of decoded.attributes.filter((a) => a.type === AttributeType.ReplyMessage)) {
      expect(attribute.value.length).toBeLessThanOrEqual(253)
      expect(Buffer.from(attribute.value.toString('utf8'), 'utf8')).toEqual(attribute.value) // whole characters only
    }
    expect(replyMessageOf(decoded)).toBe(message)
    expect(stateOf(decoded)).toEqual(state)
    expect(independentlyAuthentic(response, request.authenticator, SECRET)).toBe(true)
  })

  it('refuses answers that are not to this request or not from the server', () => {
    const request = encodeRequest({ identifier: 1, userName: 'maria', password: 'pw' }, SECRET)
    const response = encodeResponse({ code: RadiusCode.AccessReject, identifier: 1, requestAuthenticator: request.authenticator, replyMessage: 'no' }, SECRET)
    expect(malformed(() => decodeResponse(response, { ...request, identifier: 2 }, SECRET)).fault).toBe('not-an-answer')
    expect(malformed(() => decodeResponse(response, { ...request, authenticator: randomBytes(16) }, SECRET)).fault).toBe('not-authentic')
    expect(malformed(() => decodeResponse(response, request, `${SECRET}!`)).fault).toBe('not-authentic')
    for (let bit = 0; bit < response.length * 8; bit += 1) {
      const flipped = Buffer.from(response)
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      malformed(() => decodeResponse(flipped, request, SECRET))
    }
  })

  it('refuses what the encoder must never write', () => {
    const base = { code: RadiusCode.AccessAccept, identifier: 1, requestAuthenticator: randomBytes(16) } as const
    expect(() => encodeResponse({ ...base, attributes: [{ type: AttributeType.MessageAuthenticator, value: randomBytes(16) }] }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse({ ...base, attributes: [{ type: 26, value: Buffer.alloc(254) }] }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse({ ...base, state: Buffer.alloc(0) }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse({ ...base, replyMessage: 'x'.repeat(4096) }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse({ ...base, identifier: 256 }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse({ ...base, requestAuthenticator: randomBytes(15) }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse({ ...base, code: 1 as never }, SECRET)).toThrow(RangeError)
    expect(() => encodeResponse(base, '')).toThrow(RangeError)
    expect(replyMessageAttributes('')).toEqual([])
  })
})

describe('the Message-Authenticator of a request', () => {
  it('verifies, and fails with one bit flipped anywhere in the packet or in the secret', () => {
    const { packet } = encodeRequest({ identifier: 42, userName: 'maria', password: 'password123456', attributes: [textAttribute(AttributeType.NasIdentifier, 'nas')] }, SECRET)
    expect(verifyRequestMessageAuthenticator(decodePacket(packet), SECRET)).toBe(true)
    for (let bit = 0; bit < packet.length * 8; bit += 1) {
      const flipped = Buffer.from(packet)
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      let verified = false
      try {
        verified = verifyRequestMessageAuthenticator(decodePacket(flipped), SECRET)
      } catch (error) {
        expect(error).toBeInstanceOf(RadiusPacketError)
      }
      expect(verified, `bit ${bit}`).toBe(false)
    }
    const secret = Buffer.from(SECRET)
    for (let bit = 0; bit < secret.length * 8; bit += 1) {
      const flipped = Buffer.from(secret)
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      expect(verifyRequestMessageAuthenticator(decodePacket(packet), flipped)).toBe(false)
    }
  })

  it('is required: a request without one, or an answer code, never verifies', () => {
    const { packet } = encodeRequest({ identifier: 42, userName: 'maria', password: 'pw' }, SECRET)
    const stripped = decodePacket(withoutMessageAuthenticator(packet))
    expect(messageAuthenticatorOf(stripped)).toBeUndefined()
    expect(userNameOf(stripped)).toBe('maria')
    expect(verifyRequestMessageAuthenticator(stripped, SECRET)).toBe(false)
    const answer = encodeResponse({ code: RadiusCode.AccessAccept, identifier: 1, requestAuthenticator: randomBytes(16) }, SECRET)
    expect(verifyRequestMessageAuthenticator(decodePacket(answer), SECRET)).toBe(false)
  })

  it('signs a Status-Server as well', () => {
    const { packet } = encodeRequest({ code: RadiusCode.StatusServer, identifier: 9 }, SECRET)
    expect(packet.length).toBe(38)
    expect(verifyRequestMessageAuthenticator(decodePacket(packet), SECRET)).toBe(true)
  })
})

describe('User-Password hiding (RFC 2865 §5.2)', () => {
  it('opens every length from 1 to 128 bytes, in blocks of 16', () => {
    for (let length = 1; length <= 128; length += 1) {
      const password = Buffer.from(Array.from({ length }, (_, i) => 1 + ((i * 37 + length) % 255)))
      const authenticator = randomBytes(16)
      const hidden = hideUserPassword(password, SECRET, authenticator)
      expect(hidden.length).toBe(Math.ceil(length / 16) * 16)
      expect(decryptUserPassword(hidden, SECRET, authenticator)).toEqual(password)
      expect(decryptUserPassword(hidden, `${SECRET}x`, authenticator)).not.toEqual(password)
    }
  })

  it('refuses hidden values that are empty, not in blocks of 16 or over 128 bytes, and passwords over 128 bytes', () => {
    for (const length of [0, 1, 15, 17, 31, 33, 127, 129, 144, 253]) {
      const error = malformed(() => decryptUserPassword(randomBytes(length), SECRET, randomBytes(16)))
      expect(error.fault).toBe('bad-attribute-value')
      expect(error.reason).toContain(`${length} bytes`)
    }
    expect(() => hideUserPassword(Buffer.alloc(129, 0x41), SECRET, randomBytes(16))).toThrow(RangeError)
    expect(hideUserPassword('', SECRET, randomBytes(16)).length).toBe(16)
  })

  it('keeps the password UTF-8 and strips only the NUL padding', () => {
    const authenticator = randomBytes(16)
    const password = 'pässwörd✓123456' // 20 bytes: two blocks
    expect(decryptUserPassword(hideUserPassword(password, SECRET, authenticator), SECRET, authenticator).toString('utf8')).toBe(password)
  })
})

describe('printable()', () => {
  it('escapes what could forge or hide part of a log line, and cuts long values', () => {
    expect(printable('maria@example.com')).toBe('maria@example.com')
    expect(printable('a\nFAKE accept\r\x1b[31m\x00\x7f\u0085')).toBe('a\\x0aFAKE accept\\x0d\\x1b[31m\\x00\\x7f\\x85')
    expect(printable('evil\u202Emoc.elpmaxe\u2028x\u200by\ufeff')).toBe('evil\\u{202e}moc.elpmaxe\\u{2028}x\\u{200b}y\\u{feff}')
    expect(printable('quote " and \\')).toBe('quote \\" and \\\\')
    expect(printable('\ud800 lone')).toBe('\\u{d800} lone')
    expect(printable(Buffer.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb')
    expect(printable('x'.repeat(200), 10)).toBe(`${'x'.repeat(10)}…`)
    expect(printable('Zoë ✓ 日本')).toBe('Zoë ✓ 日本')
  })
})

// 10,000 malformed datagrams through the decoder and everything the service
// does with a packet after it: every failure must be a RadiusPacketError (the
// service counts and discards those) and nothing else may be thrown; the
// packets that are malformed by construction must all fail; and the whole run
// stays fast (a flood of garbage must not cost the service its time).
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AttributeType, callingStationIdOf, nasIdentifierOf, nasIpAddressOf, printable, replyMessageOf, stateOf, textAttribute, userNameOf, userPasswordOf } from '../../../src/main/core/radius/attributes'
import { RadiusPacketError, decodePacket, type RadiusPacketFault } from '../../../src/main/core/radius/packet'
import { decryptUserPassword, verifyRequestMessageAuthenticator } from '../../../src/main/core/radius/packet-auth'
import { encodeRequest } from '../../../src/main/core/radius/packet-client'

const SECRET = 'a-shared-secret-of-32-characters'

/** mulberry32: the same datagrams on every run; the seed is in the test's name if one ever fails. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SEED = 0x2fa11

const next = random(SEED)
const int = (below: number): number => Math.floor(next() * below)
const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256)))

function validRequest(): Buffer {
  return encodeRequest(
    {
      identifier: int(256),
      authenticator: bytes(16),
      userName: 'user'.repeat(1 + int(10)),
      password: 'p'.repeat(1 + int(100)),
      state: bytes(1 + int(64)),
      attributes: [textAttribute(AttributeType.NasIdentifier, 'nas-1'), { type: AttributeType.NasIpAddress, value: bytes(4) }]
    },
    SECRET
  ).packet
}

/** A header whose Length field says `length`, followed by `body`. */
function packet(length: number, body: Buffer): Buffer {
  const header = Buffer.concat([Buffer.from([1, int(256), length >> 8, length & 0xff]), bytes(16)])
  return Buffer.concat([header, body])
}

type Case = { datagram: Buffer; mustFail: boolean; kind: string }

/** The malformed datagrams, by kind; `mustFail` when no decoder may take it. */
const GENERATORS: Array<() => Case> = [
  () => ({ kind: 'random bytes', datagram: bytes(int(200)), mustFail: false }),
  () => ({ kind: 'random bytes, large', datagram: bytes(int(5000)), mustFail: false }),
  () => ({ kind: 'under 20 bytes', datagram: bytes(int(20)), mustFail: true }),
  () => {
    const valid = validRequest()
    return { kind: 'truncated', datagram: valid.subarray(0, int(valid.length)), mustFail: true }
  },
  () => {
    const valid = Buffer.from(validRequest())
    valid.writeUInt16BE(valid.length + 1 + int(5000), 2)
    return { kind: 'Length past the datagram', datagram: valid, mustFail: true }
  },
  () => {
    const valid = Buffer.from(validRequest())
    valid.writeUInt16BE(int(20), 2)
    return { kind: 'Length under 20', datagram: valid, mustFail: true }
  },
  () => {
    const valid = Buffer.from(validRequest())
    valid.writeUInt16BE(20 + int(valid.length - 20), 2)
    return { kind: 'Length cut inside the attributes', datagram: valid, mustFail: false }
  },
  () => ({ kind: 'Length over 4096', datagram: packet(4097 + int(60000), bytes(4100)), mustFail: true }),
  () => {
    const body = Buffer.concat([Buffer.from([1, 6]), Buffer.from('nemo'), Buffer.from([int(256), int(2)]), bytes(int(30))])
    return { kind: 'attribute length 0 or 1', datagram: packet(20 + body.length, body), mustFail: true }
  },
  () => {
    const tail = bytes(int(40))
    const body = Buffer.concat([Buffer.from([18, 3 + tail.length + int(200)]), tail])
    return { kind: 'attribute running past the end', datagram: packet(20 + body.length, body), mustFail: body[1]! > body.length || body[1]! < 2 }
  },
  () => {
    const body = Buffer.concat([Buffer.from([1, 6]), Buffer.from('nemo'), Buffer.from([int(256)])])
    return { kind: 'a lone type octet at the end', datagram: packet(20 + body.length, body), mustFail: true }
  },
  () => {
    // 4096 attributes in an 8,212-byte datagram: Length can say at most 4096 of it.
    const body = Buffer.alloc(4096 * 2)
    for (let i = 0; i < 4096; i += 1) body.set([26 + int(50), 2], i * 2)
    return { kind: '4096 attributes', datagram: packet(int(2) === 0 ? 4096 : 20 + body.length, body), mustFail: true }
  },
  () => {
    const count = 256 + int(100)
    const body = Buffer.alloc(count * 3)
    for (let i = 0; i < count; i += 1) body.set([18, 3, 0x41], i * 3)
    return { kind: 'over 255 attributes', datagram: packet(20 + body.length, body), mustFail: true }
  },
  () => {
    const type = [AttributeType.UserName, AttributeType.UserPassword, AttributeType.State, AttributeType.MessageAuthenticator][int(4)] ?? 1
    const value = type === AttributeType.MessageAuthenticator ? bytes(16) : Buffer.from('x'.repeat(16))
    const attribute = Buffer.concat([Buffer.from([type, 2 + value.length]), value])
    const body = Buffer.concat([attribute, attribute])
    return { kind: 'a single attribute twice', datagram: packet(20 + body.length, body), mustFail: true }
  },
  () => {
    const type = [AttributeType.MessageAuthenticator, AttributeType.NasIpAddress, AttributeType.NasPort][int(3)] ?? 80
    const value = bytes([0, 1, 3, 5, 15, 17, 40][int(7)] ?? 0)
    const body = Buffer.concat([Buffer.from([type, 2 + value.length]), value])
    return { kind: 'a fixed-size attribute of the wrong size', datagram: packet(20 + body.length, body), mustFail: true }
  },
  () => {
    const name = Buffer.from([0x6e, [0xff, 0xc3, 0xe2, 0x80, 0xed][int(5)] ?? 0xff])
    const body = Buffer.concat([Buffer.from([AttributeType.UserName, 2 + name.length]), name])
    return { kind: 'User-Name not UTF-8', datagram: packet(20 + body.length, body), mustFail: true }
  },
  () => {
    const valid = Buffer.from(validRequest())
    for (let i = 1 + int(8); i > 0; i -= 1) valid[int(valid.length)] = int(256)
    return { kind: 'valid request with bytes changed', datagram: valid, mustFail: false }
  }
]

/** What the service does with a decoded packet: none of it may throw anything but a RadiusPacketError. */
function useLikeTheService(datagram: Buffer): void {
  const decoded = decodePacket(datagram)
  verifyRequestMessageAuthenticator(decoded, SECRET)
  printable(userNameOf(decoded) ?? '')
  printable(nasIdentifierOf(decoded) ?? '')
  printable(callingStationIdOf(decoded) ?? '')
  nasIpAddressOf(decoded)
  replyMessageOf(decoded)
  stateOf(decoded)
  const hidden = userPasswordOf(decoded)
  if (hidden !== undefined) decryptUserPassword(hidden, SECRET, decoded.authenticator)
}

describe('the decoder under 10,000 malformed datagrams', () => {
  it(`throws only RadiusPacketErrors, fails every malformed-by-construction one, and stays fast (seed ${SEED})`, () => {
    const faults = new Map<RadiusPacketFault, number>()
    const started = performance.now()
    for (let i = 0; i < 10_000; i += 1) {
      const generate = GENERATORS[i % GENERATORS.length]!
      const { datagram, mustFail, kind } = generate()
      let failed = false
      try {
        useLikeTheService(datagram)
      } catch (error) {
        if (!(error instanceof RadiusPacketError)) throw new Error(`case ${i} (${kind}) threw ${String(error)}`)
        expect(error.reason.length, kind).toBeGreaterThan(0)
        faults.set(error.fault, (faults.get(error.fault) ?? 0) + 1)
        failed = true
      }
      if (mustFail && !failed) throw new Error(`case ${i} (${kind}) decoded: ${datagram.toString('hex')}`)
    }
    const elapsed = performance.now() - started
    expect(elapsed).toBeLessThan(5_000)
    // Every kind of fault was met, so each check above was exercised.
    expect([...faults.keys()].sort()).toEqual(['bad-attribute-length', 'bad-attribute-value', 'bad-length', 'duplicate-attribute', 'too-many-attributes', 'too-short', 'truncated'])
  })

  it('ignores the bytes after Length, and copies the packet so a reused buffer cannot change it', () => {
    const valid = validRequest()
    const datagram = Buffer.concat([valid, randomBytes(100)])
    const decoded = decodePacket(datagram)
    expect(decoded.raw).toEqual(valid)
    expect(verifyRequestMessageAuthenticator(decoded, SECRET)).toBe(true)
    datagram.fill(0)
    expect(verifyRequestMessageAuthenticator(decoded, SECRET)).toBe(true)
  })

  it('returns unknown codes as they are, for the service to discard', () => {
    const datagram = Buffer.from(validRequest())
    datagram[0] = 250
    expect(decodePacket(datagram).code).toBe(250)
  })
})

import { describe, expect, it } from 'vitest'
import { base32Decode, base32Encode, checkTotp, codeAt, DEFAULT_TOTP, groupsOfFour, otpauthUri, type TotpConfig } from '../../../src/main/core/crypto/totp'

// RFC 6238 Appendix B: seeds are the ASCII digits repeated to the hash's length.
const SEEDS = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234')
} as const

const VECTORS: [number, string, string, string][] = [
  // [unix seconds, SHA1, SHA256, SHA512]
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826']
]

describe('RFC 6238 Appendix B test vectors', () => {
  for (const [seconds, sha1, sha256, sha512] of VECTORS) {
    for (const [algorithm, expected] of [
      ['SHA1', sha1],
      ['SHA256', sha256],
      ['SHA512', sha512]
    ] as const) {
      it(`${algorithm} at T=${seconds} is ${expected}`, () => {
        const config: TotpConfig = { algorithm, digits: 8, period: 30 }
        expect(codeAt(SEEDS[algorithm], seconds * 1000, config)).toBe(expected)
      })
    }
  }
})

describe('verification window', () => {
  const secret = Buffer.from('0123456789abcdefghij')
  const now = Date.UTC(2026, 10, 27, 12, 0, 15)
  const at = (offsetSeconds: number) => codeAt(secret, now + offsetSeconds * 1000, DEFAULT_TOTP)

  it('accepts the codes of t-30, t and t+30', () => {
    for (const offset of [-30, 0, 30]) expect(checkTotp(secret, at(offset), now, DEFAULT_TOTP, null).valid).toBe(true)
  })

  it('rejects the codes of t-60 and t+60', () => {
    for (const offset of [-60, 60]) {
      // Guard against an accidental collision of codes making the test vacuous.
      expect([at(-30), at(0), at(30)]).not.toContain(at(offset))
      expect(checkTotp(secret, at(offset), now, DEFAULT_TOTP, null)).toEqual({ valid: false, replay: false })
    }
  })

  it('reports the matched step and rejects a step at or before the last accepted one as a replay', () => {
    const first = checkTotp(secret, at(0), now, DEFAULT_TOTP, null)
    expect(first.valid).toBe(true)
    if (!first.valid) return
    expect(checkTotp(secret, at(0), now, DEFAULT_TOTP, first.step)).toEqual({ valid: false, replay: true, step: first.step })
    expect(checkTotp(secret, at(-30), now, DEFAULT_TOTP, first.step)).toMatchObject({ valid: false, replay: true })
    expect(checkTotp(secret, at(30), now, DEFAULT_TOTP, first.step).valid).toBe(true)
  })

  it('rejects codes of the wrong length or with other characters', () => {
    expect(checkTotp(secret, at(0).slice(1), now, DEFAULT_TOTP, null).valid).toBe(false)
    expect(checkTotp(secret, `${at(0)}0`, now, DEFAULT_TOTP, null).valid).toBe(false)
    expect(checkTotp(secret, 'abcdef', now, DEFAULT_TOTP, null).valid).toBe(false)
  })
})

describe('secret encoding and otpauth URI', () => {
  it('encodes base32 per RFC 4648 without padding and decodes it back', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI')
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar')
    expect(base32Encode(SEEDS.SHA1)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
  })

  it('groups the key in fours for manual entry', () => {
    expect(groupsOfFour('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(['GEZD', 'GNBV', 'GY3T', 'QOJQ', 'GEZD', 'GNBV', 'GY3T', 'QOJQ'])
  })

  it('writes the Key URI Format with issuer "2FA Admin" and the email as label', () => {
    const uri = otpauthUri(SEEDS.SHA1, 'maria@example.com')
    expect(uri).toBe(
      'otpauth://totp/2FA%20Admin:maria%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=2FA%20Admin&algorithm=SHA1&digits=6&period=30'
    )
    const parsed = new URL(uri)
    expect(parsed.searchParams.get('secret')).toMatch(/^[A-Z2-7]+$/)
  })
})

import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, OWASP_SCRYPT, verifyPassword } from '../../../src/main/core/crypto/passwords'

describe('password hashing', () => {
  it('uses scrypt with the OWASP parameters (N=2^17, r=8, p=1) and a per-user salt by default', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
  })

  it('flags weaker hashes for an upgrade at the next login', async () => {
    const weak = await hashPassword('x'.repeat(12), { N: 1024, r: 8, p: 1 })
    expect(needsRehash(weak, OWASP_SCRYPT)).toBe(true)
    expect(needsRehash(weak, { N: 1024, r: 8, p: 1 })).toBe(false)
  })

  it('rejects malformed stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false)
    expect(await verifyPassword('x', 'scrypt$-1$8$1$AAAA$AAAA')).toBe(false)
  })
})

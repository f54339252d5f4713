import { describe, expect, it } from 'vitest'
import { plural } from '../../../src/renderer/src/lib/format'

describe('counts on the screens', () => {
  it('read with thousands separators and the right number', () => {
    expect(plural(1, 'user')).toBe('1 user')
    expect(plural(0, 'user')).toBe('0 users')
    expect(plural(1_000_000, 'user')).toBe('1,000,000 users')
  })
})

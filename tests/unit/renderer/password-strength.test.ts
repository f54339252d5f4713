import { describe, expect, it } from 'vitest'
import { passwordStrength } from '../../../src/renderer/src/lib/password-strength'
import { MIN_PASSWORD_LENGTH } from '../../../src/shared/limits'

describe('passwordStrength', () => {
  it('asks for the minimum length the app requires', () => {
    expect(passwordStrength('').hint).toBe(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    expect(passwordStrength('short').label).toBe('Too short')
  })

  it('calls common and repetitive passwords weak', () => {
    expect(passwordStrength('password1234').label).toBe('Weak')
    expect(passwordStrength('aaaaaaaaaaaa').label).toBe('Weak')
  })

  it('rewards length and variety', () => {
    expect(passwordStrength('tulipriver').label).toBe('Fair')
    expect(passwordStrength('Tulip river 42').label).toBe('Strong')
  })
})

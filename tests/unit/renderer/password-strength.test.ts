import { describe, expect, it } from 'vitest'
import { loadPasswordJudge, passwordStrength as strengthWith } from '../../../src/renderer/src/lib/password-strength'
import { MIN_PASSWORD_LENGTH } from '../../../src/shared/limits'
import { judgePassword } from '../../../src/shared/password-policy'

const passwordStrength = (password: string, person: { name?: string; email?: string } = {}) => strengthWith(password, person, judgePassword)

describe('passwordStrength', () => {
  it('says only the length while the rule loads, and loads the same rule the core uses', async () => {
    expect(strengthWith('short', {}, null).label).toBe('Too short')
    expect(strengthWith('password1234', {}, null)).toMatchObject({ level: 0, acceptable: false, hint: 'Checking how easy it is to guess…' })
    expect(await loadPasswordJudge()).toBe(judgePassword)
  })

  it('asks for the minimum length the app requires', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12)
    expect(passwordStrength('').hint).toBe(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    expect(passwordStrength('short').label).toBe('Too short')
    expect(passwordStrength('elevenchars').label).toBe('Too short')
  })

  it('calls common, repetitive and personal passwords too easy to guess', () => {
    expect(passwordStrength('password1234').label).toBe('Too easy to guess')
    expect(passwordStrength('aaaaaaaaaaaa').label).toBe('Too easy to guess')
    expect(passwordStrength('maria@example.com', { email: 'maria@example.com' }).label).toBe('Too easy to guess')
  })

  it('rewards a long, uncommon passphrase', () => {
    expect(passwordStrength('Tulip river 42 lamp').label).toBe('Strong')
  })

  it('says what the core will say: the same rule decides both', () => {
    const person = { name: 'Maria Garcia', email: 'maria@example.com' }
    for (const password of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'maria garcia 1', 'correct horse battery', 'Tulip river 42 lamp', '2026-12-01-2026', 'zxcvbnmasdfg']) {
      expect(passwordStrength(password, person).acceptable, password).toBe(judgePassword(password, person).acceptable)
    }
  })
})

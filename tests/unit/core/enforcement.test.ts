import { describe, expect, it } from 'vitest'
import type { Enforcement, Role, TwoFactorStatus } from '../../../src/shared/domain'
import { enforcementSource, isEnforced, overrideForCheckbox, plainPolicy, twoFactorStatus } from '../../../src/main/core/enforcement/rules'

// The status table of the foundation issue: global policy x override x credential
// (and role, since administrators are always enforced).
const TABLE: [Role, boolean, Enforcement, boolean, TwoFactorStatus, boolean][] = [
  // role, enforcedForAll, override, credential -> status, checkbox
  ['user', false, 'inherit', false, 'inactive', false],
  ['user', false, 'inherit', true, 'active', false],
  ['user', false, 'enforced', false, 'pending', true],
  ['user', false, 'enforced', true, 'active', true],
  ['user', false, 'exempt', false, 'inactive', false],
  ['user', false, 'exempt', true, 'active', false],
  ['user', true, 'inherit', false, 'pending', true],
  ['user', true, 'inherit', true, 'active', true],
  ['user', true, 'enforced', false, 'pending', true],
  ['user', true, 'enforced', true, 'active', true],
  ['user', true, 'exempt', false, 'inactive', false],
  ['user', true, 'exempt', true, 'active', false],
  ['admin', false, 'inherit', false, 'pending', true],
  ['admin', false, 'inherit', true, 'active', true],
  ['admin', false, 'enforced', false, 'pending', true],
  ['admin', true, 'inherit', false, 'pending', true],
  ['admin', true, 'inherit', true, 'active', true]
]

describe('2FA status and the "Enforce 2FA activation" checkbox', () => {
  for (const [role, enforcedForAll, enforcement, credential, status, checkbox] of TABLE) {
    it(`${role}, policy ${enforcedForAll ? 'on' : 'off'}, override ${enforcement}, ${credential ? 'with' : 'without'} credential -> ${status}, checkbox ${checkbox ? 'checked' : 'unchecked'}`, () => {
      const user = { role, enforcement }
      expect(twoFactorStatus(user, credential, plainPolicy(enforcedForAll))).toBe(status)
      expect(isEnforced(user, plainPolicy(enforcedForAll))).toBe(checkbox)
    })
  }

  it('names the source of enforcement for tooltips', () => {
    expect(enforcementSource({ role: 'admin', enforcement: 'inherit' }, plainPolicy(false))).toBe('role')
    expect(enforcementSource({ role: 'user', enforcement: 'enforced' }, plainPolicy(false))).toBe('individual')
    expect(enforcementSource({ role: 'user', enforcement: 'inherit' }, plainPolicy(true))).toBe('policy')
    expect(enforcementSource({ role: 'user', enforcement: 'exempt' }, plainPolicy(true))).toBe('exempt')
    expect(enforcementSource({ role: 'user', enforcement: 'inherit' }, plainPolicy(false))).toBe('none')
  })
})

describe('what saving the checkbox does to the override', () => {
  const cases: [boolean, Enforcement, boolean, Enforcement][] = [
    // policy, current override, checkbox -> new override
    [true, 'inherit', false, 'exempt'], // unchecking under global enforcement exempts
    [false, 'inherit', true, 'enforced'], // checking without global enforcement enforces individually
    [true, 'exempt', true, 'inherit'],
    [false, 'enforced', false, 'inherit'],
    [true, 'enforced', true, 'enforced'], // untouched: an individual enforcement survives a later revoke
    [false, 'exempt', false, 'exempt'],
    [true, 'inherit', true, 'inherit'],
    [false, 'inherit', false, 'inherit']
  ]
  for (const [policy, current, checkbox, expected] of cases) {
    it(`policy ${policy ? 'on' : 'off'}, ${current}, checkbox ${checkbox} -> ${expected}`, () => {
      const user = { role: 'user' as const, enforcement: current }
      const next = overrideForCheckbox(user, plainPolicy(policy), checkbox)
      expect(next).toBe(expected)
      expect(isEnforced({ role: 'user', enforcement: next }, plainPolicy(policy))).toBe(checkbox)
    })
  }
})

// The exemption switch's hint on a group's details: what turning it would do, in the exact counts of previewEnforcement.
import { describe, expect, it } from 'vitest'
import { exemptionEffectText } from '../../../src/renderer/src/components/GroupSections'

const none = { willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }

describe('the exemption switch says what it would do', () => {
  it('counts who would no longer have to activate when turned on, and who would have to when turned off', () => {
    expect(exemptionEffectText(false, { ...none, wouldNoLongerHaveTo: 1_204 })).toBe('Turning this on: 1,204 users would no longer have to activate 2FA.')
    expect(exemptionEffectText(true, { ...none, willHaveToActivate: 3, overdueAtOnce: 3 })).toBe('Turning this off: 3 users would have to activate 2FA, 3 of them at their next login.')
    expect(exemptionEffectText(false, none)).toBe("Turning this on changes nobody's 2FA now.")
    expect(exemptionEffectText(false, null)).toBeNull()
  })
})

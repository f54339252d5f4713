// What Account > Groups says: the Enforcement column, the effect of adding
// members in the product's words, the enforce and revoke confirmations, and
// the pasted email list split and checked as the core checks it.
import { describe, expect, it } from 'vitest'
import { groupsSchemas } from '../../../src/shared/schemas/groups'
import { DAY_MS } from '../../../src/shared/domain'
import { emailListProblem, parseEmailList } from '../../../src/renderer/src/lib/email-list'
import { enforcePreviewText, enforcementLines, revokePreviewText, willHaveToActivateText } from '../../../src/renderer/src/lib/group-wording'
import { formatDate } from '../../../src/renderer/src/lib/format'

const NOW = Date.UTC(2026, 2, 1, 12)

describe('the Enforcement column', () => {
  it('says until when, "Enforced" once the deadline passed, the exemption, or "Not enforced"', () => {
    const deadline = NOW + 7 * DAY_MS
    expect(enforcementLines({ enforced: true, deadline, exemptFromPolicy: false }, NOW)).toEqual([`Enforced, activation due by ${formatDate(deadline)}`])
    expect(enforcementLines({ enforced: true, deadline: NOW - 1, exemptFromPolicy: false }, NOW)).toEqual(['Enforced'])
    expect(enforcementLines({ enforced: false, deadline: null, exemptFromPolicy: true }, NOW)).toEqual(['Exempt from "Enforce 2FA for all users"'])
    expect(enforcementLines({ enforced: false, deadline: null, exemptFromPolicy: false }, NOW)).toEqual(['Not enforced'])
  })
})

describe('the effect of a change', () => {
  it('counts who will have to activate 2FA and how many at their next login', () => {
    const deadline = NOW + 7 * DAY_MS
    expect(willHaveToActivateText({ willHaveToActivate: 5, overdueAtOnce: 2, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }, deadline, NOW)).toBe(
      `5 will have to activate 2FA, 2 of them at their next login. The others have until ${formatDate(deadline)}.`
    )
    expect(willHaveToActivateText({ willHaveToActivate: 3, overdueAtOnce: 3, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }, null, NOW)).toBe('3 will have to activate 2FA, 3 of them at their next login.')
    expect(willHaveToActivateText({ willHaveToActivate: 1, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }, deadline, NOW)).toBe(`1 will have to activate 2FA by ${formatDate(deadline)}.`)
    expect(willHaveToActivateText({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 2, newlyOverdue: 0 }, deadline, NOW)).toBeNull()
  })

  it('states previewEnforcement exactly', () => {
    expect(enforcePreviewText({ willHaveToActivate: 1_204, overdueAtOnce: 1, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })).toBe('1,204 users will have to activate 2FA; 1 of them is overdue immediately.')
    expect(enforcePreviewText({ willHaveToActivate: 2, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 })).toBe('2 users will have to activate 2FA; 0 of them are overdue immediately.')
    expect(revokePreviewText({ willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 1, newlyOverdue: 0 })).toBe('1 user will no longer have to activate 2FA.')
  })
})

describe('the pasted emails', () => {
  it('splits on lines, commas and semicolons, drops blanks and repeats, lower-cases', () => {
    expect(parseEmailList(' Maria@Example.com,tom@example.com;\r\n\n maria@example.com ; lena@example.com ')).toEqual({
      emails: ['maria@example.com', 'tom@example.com', 'lena@example.com'],
      invalid: []
    })
  })

  it('names what is not an email address, as the core would refuse it', () => {
    const list = parseEmailList('maria@example.com\nmaria@example\nnot an email')
    expect(list.invalid).toEqual(['maria@example', 'not an email'])
    expect(emailListProblem(list)).toBe('These are not email addresses: maria@example, not an email. Enter addresses like name@example.com.')
    for (const wrong of list.invalid) expect(groupsSchemas.addGroupMembers.safeParse({ groupId: 1, emails: [wrong] }).success).toBe(false)
    expect(groupsSchemas.addGroupMembers.safeParse({ groupId: 1, emails: parseEmailList('maria@example.com').emails }).success).toBe(true)
    expect(emailListProblem(parseEmailList(' ;, '))).toBe('Enter at least one email address.')
  })
})

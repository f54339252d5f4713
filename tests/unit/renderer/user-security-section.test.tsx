// User details > Security rendered alone: what it says of a lock, timed or
// until an administrator unlocks the account.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { UserDetails } from '../../../src/shared/domain'
import { UserSecuritySection } from '../../../src/renderer/src/components/UserSecuritySection'
import { formatDateTime } from '../../../src/renderer/src/lib/format'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
const idle = { pending: false, error: null, success: null }
const noop = () => {}

const maria: UserDetails = {
  id: 2,
  name: 'Maria',
  email: 'maria@example.com',
  role: 'user',
  disabled: false,
  status: 'active',
  enforcement: 'inherit',
  enforced: false,
  enforcementSource: 'none',
  deadline: null,
  overdue: false,
  groups: [],
  locked: false,
  activeSince: Date.UTC(2026, 0, 5),
  lastTwoFactorLoginAt: null,
  createdAt: Date.UTC(2026, 0, 1),
  updatedAt: Date.UTC(2026, 0, 5),
  enforcementChangedBy: null,
  enforcementChangedAt: null,
  failedAttempts: 0,
  lockedUntil: null,
  recoveryCodesRemaining: 10,
  source: 'local',
  hasPassword: true,
  directoryDn: null,
  temporaryPass: null
}

function render(user: UserDetails): string {
  return text(renderToStaticMarkup(<UserSecuritySection user={user} save={idle} reset={idle} unlock={idle} onSave={noop} onReset={noop} onUnlock={noop} />))
}

describe('UserSecuritySection', () => {
  it('offers no unlock while the account is not locked', () => {
    const shown = render(maria)
    expect(shown).not.toContain('Account locked')
    expect(shown).not.toContain('Unlock')
  })

  it('says until when a timed lock lasts', () => {
    const until = Date.UTC(2026, 2, 1, 9, 30)
    const shown = render({ ...maria, locked: true, failedAttempts: 10, lockedUntil: until })
    expect(shown).toContain(`Locked after 10 failed attempts until ${formatDateTime(until)}.`)
  })

  it('says a lock with no end lasts until an administrator unlocks it, with no date', () => {
    const shown = render({ ...maria, locked: true, failedAttempts: 100, lockedUntil: 'unlock' })
    expect(shown).toContain('Account locked Locked after 100 failed attempts until an administrator unlocks it. Unlock')
    // No year far away (Number.MAX_SAFE_INTEGER ms is not even a Date).
    expect(shown).not.toMatch(/\d{5,}/)
  })
})

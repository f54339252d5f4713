import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { TwoFactorStatus, UserRow } from '../../../src/shared/domain'
import { StatusShield } from '../../../src/renderer/src/components/StatusShield'
import { statusDetails } from '../../../src/renderer/src/lib/format'

const user: UserRow = {
  id: 7,
  name: 'Grace Hopper',
  email: 'grace@example.com',
  role: 'user',
  disabled: false,
  status: 'active',
  enforcement: 'inherit',
  enforced: true,
  enforcementSource: 'policy',
  deadline: null,
  overdue: false,
  groups: [],
  locked: false,
  activeSince: Date.UTC(2024, 0, 15, 9, 30),
  lastTwoFactorLoginAt: null,
  source: 'local'
}

describe('StatusShield', () => {
  it.each<[TwoFactorStatus, string, string]>([
    ['inactive', '2FA not active', '#cf222e'],
    ['pending', '2FA enforced, activation pending', '#d46b08'],
    ['active', '2FA active', '#1a7f37']
  ])('names the %s shield "%s" and draws it in %s', (status, name, colour) => {
    const html = renderToStaticMarkup(<StatusShield status={status} details={[]} />)
    expect(html).toContain(`role="img" aria-label="${name}"`)
    expect(html).toContain('tabindex="0"')
    // Vite inlines the small SVG files as data: URLs (allowed by the CSP's img-src).
    const src = decodeURIComponent(/src="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&#x27;', "'")
    expect(src).toContain(`fill='${colour}'`)
    // The icon itself adds nothing to the accessible name.
    expect(html).toContain('alt="" aria-hidden="true"')
  })

  it('points the focusable icon at a tooltip holding the details', () => {
    const html = renderToStaticMarkup(<StatusShield status="active" details={['Active since today', 'Enforced for all users']} />)
    const describedBy = /aria-describedby="([^"]+)"/.exec(html)?.[1]
    expect(describedBy).toBeTruthy()
    expect(html).toContain(`id="${describedBy}" role="tooltip"`)
    expect(html).toContain('Active since today')
    expect(html).toContain('Enforced for all users')
  })
})

describe('statusDetails', () => {
  it('tells since when 2FA is active, the last 2FA login and why it is enforced', () => {
    const lines = statusDetails(user)
    expect(lines[0]).toMatch(/^Active since .*2024/)
    expect(lines).toContain('Last successful 2FA login: Never')
    expect(lines).toContain('Enforced for all users')
  })

  it('mentions a pending activation, a lock and a disabled account', () => {
    const lines = statusDetails({ ...user, status: 'pending', activeSince: null, enforcementSource: 'individual', locked: true, disabled: true })
    expect(lines).toEqual([
      'Has to activate 2FA at next login',
      'Last successful 2FA login: Never',
      'Enforced individually',
      'Account locked after too many failed attempts',
      'Account disabled'
    ])
  })

  it('names administrators and exempt users', () => {
    expect(statusDetails({ ...user, enforcementSource: 'role' })).toContain('Always enforced for administrators')
    expect(statusDetails({ ...user, enforcementSource: 'exempt' })).toContain('Exempt from enforcement')
  })
})

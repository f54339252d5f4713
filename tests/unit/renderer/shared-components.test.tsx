// The pieces several screens share, rendered alone: what stands in for a
// screen's content, the new-password fields and the recovery codes.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ChangePasswordForm } from '../../../src/renderer/src/components/ChangePasswordForm'
import { PageState } from '../../../src/renderer/src/components/PageState'
import { RecoveryCodesPanel } from '../../../src/renderer/src/components/RecoveryCodesPanel'
import { SetupForm } from '../../../src/renderer/src/components/SetupForm'
import { recoveryCodesText } from '../../../src/renderer/src/lib/recovery-codes'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
const noop = () => {}

describe('PageState', () => {
  it('says what is loading, as a status', () => {
    const html = renderToStaticMarkup(<PageState loading loadingLabel="Loading users…" error="ignored while loading" />)
    expect(html).toContain('role="status"')
    expect(text(html)).toBe('Loading users…')
  })

  it('shows what went wrong as an alert, with the way on', () => {
    const html = renderToStaticMarkup(<PageState error="The app did not answer." action={{ label: 'Try again', onClick: noop, primary: true }} />)
    expect(html).toContain('role="alert"')
    expect(html).toContain('>The app did not answer.<')
    expect(html).toContain('<button type="button" class="button button-primary">Try again</button>')
  })

  it('says a list is empty, and nothing at all when there is nothing to say', () => {
    const html = renderToStaticMarkup(<PageState empty="No users match these filters." action={{ label: 'Clear filters', onClick: noop }} />)
    expect(html).toBe('<div class="empty-state"><p>No users match these filters.</p><button type="button" class="button">Clear filters</button></div>')
    expect(renderToStaticMarkup(<PageState />)).toBe('')
  })
})

describe('the new-password fields', () => {
  it('on the first-run form: the password with its strength hint, and a confirmation', () => {
    const html = renderToStaticMarkup(<SetupForm pending={false} error={null} onSubmit={noop} />)
    expect(html.match(/autoComplete="new-password"/gi)).toHaveLength(2)
    expect(text(html)).toContain('Password Use at least 12 characters.')
    expect(text(html)).toContain('Confirm password')
  })

  it('in Change password: the same fields under their own names', () => {
    const html = renderToStaticMarkup(<ChangePasswordForm username="ada@example.com" pending={false} error={null} success={null} onSubmit={async () => true} />)
    expect(html.match(/autoComplete="new-password"/gi)).toHaveLength(2)
    expect(html).toContain('autoComplete="current-password"')
    expect(text(html)).toContain('New password Use at least 12 characters.')
    expect(text(html)).toContain('Confirm new password')
  })
})

describe('RecoveryCodesPanel', () => {
  it('lists the codes once, with Copy, Save as text and Print, and Continue only after confirming they are saved', () => {
    const html = renderToStaticMarkup(<RecoveryCodesPanel codes={['aaaaa-11111', 'bbbbb-22222']} account="ada@example.com" name="Ada Admin" onContinue={noop} />)
    expect(html).toContain('aria-label="Recovery codes"')
    expect(html.match(/<li><code>/g)).toHaveLength(2)
    expect(html).toContain('>Copy</button>')
    expect(html).toContain('>Save as text</button>')
    expect(html).toContain('>Print</button>')
    expect(html).toMatch(/<button type="submit" class="button button-primary" disabled="">Continue<\/button>/)
  })

  it('copies and saves a text that names the account', () => {
    const saved = recoveryCodesText(['aaaaa-11111'], 'ada@example.com', new Date(Date.UTC(2026, 0, 2)))
    expect(saved.split('\n').slice(0, 3)).toEqual(['2FA Admin recovery codes', 'Account: ada@example.com', 'Created: 2026-01-02T00:00:00.000Z'])
    expect(saved).toContain('\naaaaa-11111\n')
  })
})

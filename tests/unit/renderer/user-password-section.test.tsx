// User details > Sign-in rendered alone: "No password yet" for an imported
// user, Set / Change password otherwise, and no action for a directory user;
// the dialog an administrator sets the password in; and the store action behind it.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import type { UserDetails } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { SetPasswordDialog, UserPasswordSection } from '../../../src/renderer/src/components/UserPasswordSection'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ').trim()
const idle: { pending: boolean; error: string | null; success: string | null } = { pending: false, error: null, success: null }
const noop = () => {}

const imported: UserDetails = {
  id: 7,
  name: 'Maria Garcia',
  email: 'maria@example.com',
  role: 'user',
  disabled: false,
  status: 'inactive',
  enforcement: 'inherit',
  enforced: false,
  enforcementSource: 'none',
  deadline: null,
  overdue: false,
  groups: [],
  locked: false,
  activeSince: null,
  lastTwoFactorLoginAt: null,
  createdAt: Date.UTC(2026, 0, 1),
  updatedAt: Date.UTC(2026, 0, 1),
  enforcementChangedBy: null,
  enforcementChangedAt: null,
  failedAttempts: 0,
  lockedUntil: null,
  recoveryCodesRemaining: 0,
  source: 'csv',
  hasPassword: false,
  directoryDn: null,
  temporaryPass: null
}

const render = (user: UserDetails, status = idle) => renderToStaticMarkup(<UserPasswordSection user={user} status={status} onSetPassword={noop} />)

describe('UserPasswordSection', () => {
  it('says an imported user has no password yet and offers Set password', () => {
    const html = render(imported)
    expect(text(html)).toContain('Account Imported from CSV Password No password yet')
    expect(text(html)).toContain('Nobody can sign in as Maria Garcia until an administrator sets a password or issues a temporary access pass.')
    expect(html).toMatch(/<button type="button" class="button button-primary">Set password<\/button>/)
  })

  it('says a password is set and offers to change it', () => {
    const html = render({ ...imported, source: 'local', hasPassword: true })
    expect(text(html)).toContain('Account Added in 2FA Admin Password Set')
    expect(html).toMatch(/<button type="button" class="button">Change password<\/button>/)
    expect(html).not.toContain('No password yet')
  })

  it('says a directory user signs in with their directory password, shows their entry, and offers no action', () => {
    const html = render({ ...imported, source: 'ldap', hasPassword: false, directoryDn: 'uid=maria,ou=people,dc=example,dc=com' })
    const shown = text(html)
    expect(shown).toContain('Account From the directory')
    expect(html.replace(/<[^>]+>/g, '')).toContain('uid=maria,ou=people,dc=example,dc=com')
    expect(shown).toContain('Password Signs in with their directory password')
    expect(shown).not.toContain('No password yet')
    expect(html).not.toContain('<button')
  })

  it('makes hidden characters in a name visible', () => {
    expect(text(render({ ...imported, name: 'Maria\u202eGarcia' }))).toContain('Maria⟨U+202E⟩Garcia')
  })

  it('shows the outcome, and disables its button while a password is being set', () => {
    expect(text(render(imported, { pending: false, error: null, success: 'Maria Garcia has a password now.' }))).toContain('Maria Garcia has a password now.')
    expect(render(imported, { pending: true, error: null, success: null })).toMatch(/disabled="">Set password<\/button>/)
  })
})

describe('SetPasswordDialog', () => {
  it('asks for one new password, judged for this user, and says what to do with it', () => {
    const html = renderToStaticMarkup(<SetPasswordDialog user={imported} pending={false} error={null} onSubmit={noop} onCancel={noop} />)
    const shown = text(html)
    expect(shown).toContain('Set a password for Maria Garcia')
    expect(html.match(/<input[^>]*>/g)).toEqual([expect.stringMatching(/type="password" autoComplete="new-password" required=""/)])
    expect(html).toContain('class="strength ')
    expect(shown).toContain('Give it to Maria Garcia in person; they can change it in My account.')
    expect(shown).toMatch(/Cancel Set password$/)
  })

  it('for a user who has one, says they are signed out, and shows the app’s refusal', () => {
    const html = renderToStaticMarkup(
      <SetPasswordDialog user={{ ...imported, hasPassword: true }} pending error="This password is too easy to guess." onSubmit={noop} onCancel={noop} />
    )
    const shown = text(html)
    expect(shown).toContain('Change the password of Maria Garcia')
    expect(shown).toContain('Wherever they are signed in, they are signed out.')
    expect(shown).toContain('This password is too easy to guess.')
    expect(html).toMatch(/disabled="">Change password<\/button>/)
  })
})

describe('userDetails.setPassword', () => {
  function openUser(answer: (input: { userId: number; password: string }) => Result<UserDetails>) {
    const setUserPassword = vi.fn(async (input: { userId: number; password: string }) => answer(input))
    const store = createAppStore(fakeApi({ getUser: async () => ({ ok: true, value: imported }), setUserPassword }))
    return { store, setUserPassword, details: () => store.getState().userDetails }
  }

  it('sends the password for the open user, keeps the answer and says so, leaving the forms’ edits alone', async () => {
    const app = openUser(() => ({ ok: true, value: { ...imported, hasPassword: true } }))
    await app.details().actions.load(imported.id)
    const versions = app.details().formVersion
    await expect(app.details().actions.setPassword('correct horse battery 42')).resolves.toBe(true)
    expect(app.setUserPassword).toHaveBeenCalledWith({ userId: 7, password: 'correct horse battery 42' })
    expect(app.details().user?.hasPassword).toBe(true)
    expect(app.details().actionStatus.password).toEqual({ pending: false, error: null, success: 'Maria Garcia has a password now. Give it to them in person.' })
    expect(app.details().formVersion).toEqual(versions)
  })

  it('says a changed password signed the user out', async () => {
    const withPassword = { ...imported, hasPassword: true }
    const setUserPassword = vi.fn(async (): Promise<Result<UserDetails>> => ({ ok: true, value: withPassword }))
    const store = createAppStore(fakeApi({ getUser: async () => ({ ok: true, value: withPassword }), setUserPassword }))
    await store.getState().userDetails.actions.load(7)
    await store.getState().userDetails.actions.setPassword('correct horse battery 42')
    expect(store.getState().userDetails.actionStatus.password.success).toBe('The password of Maria Garcia was changed. Wherever they were signed in, they were signed out.')
  })

  it('shows the app’s refusal and keeps the user as they were', async () => {
    const app = openUser(() => ({ ok: false, error: { code: 'WEAK_PASSWORD', message: 'This password is too easy to guess.' } }))
    await app.details().actions.load(imported.id)
    await expect(app.details().actions.setPassword('password1234')).resolves.toBe(false)
    expect(app.details().actionStatus.password.error).toBe('This password is too easy to guess.')
    expect(app.details().user?.hasPassword).toBe(false)
  })
})

// The screens of temporary access passes and of enrollment at the desk, over a
// fake app: what User details say of a pass (never the pass), the pass shown once
// and forgotten with its dialog or the session, the pass's restricted screen, and
// the hand-over that returns to the admin only through the app's unlock.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import type { AuthStep, IssuedTemporaryPass, Me, UserDetails } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { IssueTemporaryPassDialog } from '../../../src/renderer/src/components/IssueTemporaryPassDialog'
import { passSummary, TemporaryPassSection } from '../../../src/renderer/src/components/TemporaryPassSection'
import { formatDateTime } from '../../../src/renderer/src/lib/format'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
const idle = { pending: false, error: null, success: null }
const noop = () => {}
const ADA: Me = { id: 1, name: 'Ada', email: 'ada@example.com', role: 'admin' }
const MARIA: Me = { id: 2, name: 'Maria', email: 'maria@example.com', role: 'user' }
const EXPIRES = Date.UTC(2026, 10, 27, 17, 0)
const STATUS = { issuedAt: Date.UTC(2026, 10, 27, 9, 0), issuedBy: 'ada@example.com', expiresAt: EXPIRES, singleUse: true, usedAt: null }

const facts = { name: 'Maria', disabled: false, hasPassword: true, source: 'local' as const }

describe('User details > Security: the temporary access pass', () => {
  it('says whether a pass is active and until when, used or not, and never shows it', () => {
    expect(passSummary(null)).toMatch(/^None\./)
    expect(passSummary(STATUS)).toBe(`Active until ${formatDateTime(EXPIRES)} · single use · issued by ada@example.com`)
    expect(passSummary({ ...STATUS, singleUse: false })).toMatch(/multi use, until 2FA is activated/)
    expect(passSummary({ ...STATUS, usedAt: STATUS.issuedAt + 60_000 })).toMatch(/^Used .*: the sign-in it opened can activate 2FA until/)
    const shown = text(renderToStaticMarkup(<TemporaryPassSection user={{ ...facts, temporaryPass: STATUS }} issue={idle} revoke={idle} inPerson={idle} onIssue={noop} onRevoke={noop} onEnrollInPerson={noop} />))
    expect(shown).toContain('Issue temporary access pass')
    expect(shown).toContain('Revoke')
    expect(shown).toContain('Enroll in person')
  })

  it('offers no Revoke without a pass, and no Enroll in person for someone who cannot prove who they are', () => {
    const shown = text(
      renderToStaticMarkup(<TemporaryPassSection user={{ ...facts, hasPassword: false, temporaryPass: null }} issue={idle} revoke={idle} inPerson={idle} onIssue={noop} onRevoke={noop} onEnrollInPerson={noop} />)
    )
    expect(shown).not.toContain('Revoke')
    expect(shown).toMatch(/has no password: issue a temporary access pass first/)
  })

  it('the dialog offers 1 hour to 30 days, 8 hours and single use by default, then shows the pass once with its end', () => {
    const form = renderToStaticMarkup(<IssueTemporaryPassDialog user={{ name: 'Maria', hasActivePass: true }} issued={null} pending={false} error={null} onIssue={noop} onClose={noop} />)
    expect(text(form)).toMatch(/1 hour 4 hours 8 hours 1 day 3 days 7 days 30 days/)
    expect(form).toMatch(/<option value="8" selected="">8 hours<\/option>/)
    expect(form).toMatch(/type="checkbox" checked=""/)
    expect(text(form)).toMatch(/the new one revokes it/)
    const shown = text(
      renderToStaticMarkup(<IssueTemporaryPassDialog user={{ name: 'Maria', hasActivePass: false }} issued={{ pass: 'abcd-efgh-jkmn-pqrs', status: STATUS, name: 'Maria' }} pending={false} error={null} onIssue={noop} onClose={noop} />)
    )
    expect(shown).toContain('abcd-efgh-jkmn-pqrs')
    expect(shown).toContain(`Valid until ${formatDateTime(EXPIRES)} , for one sign-in`)
    expect(shown).toMatch(/It is shown only now/)
  })
})

const MARIA_DETAILS = { id: 2, name: 'Maria', temporaryPass: STATUS } as unknown as UserDetails

describe('the store', () => {
  it('keeps an issued pass only until its dialog closes, and never past the session', async () => {
    const issued: IssuedTemporaryPass = { pass: 'abcd-efgh-jkmn-pqrs', status: STATUS, user: MARIA_DETAILS }
    const issueTemporaryPass = vi.fn(async (): Promise<Result<IssuedTemporaryPass>> => ({ ok: true, value: issued }))
    const logout = vi.fn(async (): Promise<Result<null>> => ({ ok: true, value: null }))
    const store = createAppStore(fakeApi({ issueTemporaryPass, logout, getUser: async () => ({ ok: true, value: MARIA_DETAILS }) }))
    store.getState().session.actions.applyStep({ step: 'signed-in', me: ADA })
    expect(await store.getState().temporaryPass.actions.issue(2, 24, false)).toBe(true)
    expect(issueTemporaryPass).toHaveBeenCalledWith({ userId: 2, hours: 24, singleUse: false })
    expect(store.getState().temporaryPass.issued?.pass).toBe('abcd-efgh-jkmn-pqrs')
    store.getState().temporaryPass.actions.dismiss()
    expect(store.getState().temporaryPass.issued).toBeNull()
    await store.getState().temporaryPass.actions.issue(2, 8, true)
    await store.getState().session.actions.logout()
    expect(store.getState().temporaryPass.issued).toBeNull()
  })

  it('a pass sign-in leads to its own screen; the first password and the enrollment come from the app’s answers', async () => {
    const passStep: AuthStep = { step: 'temporary-pass', me: MARIA, canSetPassword: true, replacesAuthenticator: false }
    const login = vi.fn(async (): Promise<Result<AuthStep>> => ({ ok: true, value: passStep }))
    const setFirstPassword = vi.fn(async (): Promise<Result<AuthStep>> => ({ ok: true, value: { ...passStep, canSetPassword: false } }))
    const store = createAppStore(fakeApi({ login, setFirstPassword }))
    await store.getState().session.actions.login(MARIA.email, 'abcd-efgh-jkmn-pqrs')
    expect(store.getState().session).toMatchObject({ phase: 'temporary-pass', me: MARIA, restricted: passStep })
    expect(await store.getState().temporaryPass.actions.setFirstPassword('my own long password 2026')).toBe(true)
    expect(store.getState().session.restricted).toMatchObject({ canSetPassword: false })
  })

  it('the hand-over: the window shows the desk, and only the app’s unlock brings the admin back, to the user they enrolled', async () => {
    const desk = (stage: 'identify' | 'enroll' | 'done'): AuthStep => ({ step: 'in-person', stage, me: MARIA, admin: 'ada@example.com' })
    const endInPersonEnrollment = vi.fn(async (input: unknown): Promise<Result<AuthStep>> =>
      (input as { password?: string }).password === 'ada password'
        ? { ok: true, value: { step: 'signed-in', me: ADA } }
        : { ok: false, error: { code: 'INVALID_CREDENTIALS', message: 'That is not the password of ada@example.com.' } }
    )
    const store = createAppStore(
      fakeApi({
        startInPersonEnrollment: async () => ({ ok: true, value: desk('identify') }),
        identifyInPerson: async () => ({ ok: true, value: desk('enroll') }),
        cancelInPersonEnrollment: async () => ({ ok: true, value: desk('done') }),
        endInPersonEnrollment
      })
    )
    store.getState().session.actions.applyStep({ step: 'signed-in', me: ADA })
    await store.getState().inPerson.actions.start(2)
    expect(store.getState().session).toMatchObject({ phase: 'in-person', me: MARIA })
    await store.getState().inPerson.actions.identify('maria password')
    expect(store.getState().session.restricted).toMatchObject({ stage: 'enroll' })
    await store.getState().inPerson.actions.cancel()
    expect(store.getState().session.restricted).toMatchObject({ stage: 'done' })
    await store.getState().inPerson.actions.unlock({ password: 'maria password' })
    expect(store.getState().session.phase).toBe('in-person')
    expect(store.getState().inPerson.status.error).toMatch(/not the password of ada/)
    await store.getState().inPerson.actions.unlock({ password: 'ada password' })
    expect(store.getState().session).toMatchObject({ phase: 'signed-in', me: ADA })
    expect(store.getState().nav.view).toEqual({ name: 'user-details', userId: 2 })
  })
})

// The notice after a sign-in with a recovery code, over a fake app: the count
// from the answer, cleared by Dismiss and by the next sign-in; "Generate new
// recovery codes" opens My account asking to regenerate; the wording for none
// left; and the generated password shown once by its dialog.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import type { Me } from '../../../src/shared/domain'
import { GeneratedPasswordDialog } from '../../../src/renderer/src/components/GeneratedPasswordDialog'
import { RecoveryCodeNotice, recoveryCodeNoticeText } from '../../../src/renderer/src/components/RecoveryCodeNotice'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const TOM: Me = { id: 2, name: 'Tom', email: 'tom@example.com', role: 'user' }
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim()

function app(codesLeft: number) {
  const verifyRecoveryCode = vi.fn(async () => ({ ok: true as const, value: { step: 'signed-in' as const, me: TOM, recoveryCodesLeft: codesLeft } }))
  const login = vi.fn(async () => ({ ok: true as const, value: { step: 'second-factor' as const, email: TOM.email } }))
  const store = createAppStore(fakeApi({ verifyRecoveryCode, login }))
  store.setState((state) => ({ session: { ...state.session, phase: 'second-factor' } }))
  return { store, session: () => store.getState().session }
}

describe('the recovery-code notice', () => {
  it('comes from the answer of a sign-in with a recovery code, and Dismiss or the next sign-in clears it', async () => {
    const { store, session } = app(3)
    await session().actions.verifyRecoveryCode('abcde-12345')
    expect(session()).toMatchObject({ phase: 'signed-in', recoveryCodeNotice: { codesLeft: 3 } })
    session().actions.dismissRecoveryCodeNotice()
    expect(session().recoveryCodeNotice).toBeNull()

    await session().actions.verifyRecoveryCode('abcde-12345')
    expect(session().recoveryCodeNotice).toEqual({ codesLeft: 3 })
    await session().actions.login(TOM.email, 'pw')
    expect(session().recoveryCodeNotice).toBeNull()
    expect(store.getState().myAccount.regenerateRequested).toBe(false)
  })

  it('"Generate new recovery codes" opens My account with the regeneration asked for', () => {
    const { store } = app(0)
    store.getState().nav.actions.navigate({ name: 'audit' })
    store.getState().myAccount.actions.requestRegenerate()
    expect(store.getState().nav.view).toEqual({ name: 'my-account' })
    expect(store.getState().myAccount.regenerateRequested).toBe(true)
    store.getState().myAccount.actions.regenerateOpened()
    expect(store.getState().myAccount.regenerateRequested).toBe(false)
  })

  it('says how many are left, and more strongly when none are', () => {
    expect(recoveryCodeNoticeText(9)).toBe('You signed in with a recovery code. 9 recovery codes left.')
    expect(recoveryCodeNoticeText(1)).toBe('You signed in with a recovery code. 1 recovery code left.')
    expect(recoveryCodeNoticeText(0)).toMatch(/^You signed in with your last recovery code\. No recovery codes left: generate new ones now/)
    const some = renderToStaticMarkup(<RecoveryCodeNotice codesLeft={4} onGenerate={() => {}} onDismiss={() => {}} />)
    expect(some).toContain('role="status"')
    expect(text(some)).toContain('Generate new recovery codes Dismiss')
    const none = renderToStaticMarkup(<RecoveryCodeNotice codesLeft={0} onGenerate={() => {}} onDismiss={() => {}} />)
    expect(none).toContain('role="alert"')
    expect(none).toContain('message-warning')
  })
})

describe('a generated password', () => {
  it('is shown with Copy and a clear "shown once" note', () => {
    const html = renderToStaticMarkup(<GeneratedPasswordDialog title="User added" kind="initial" user={{ name: 'Lena Berg', email: 'lena@example.com' }} password="Abcde-fghjk-23456-mnpqr" onDone={() => {}} />)
    expect(html).toContain('Abcde-fghjk-23456-mnpqr')
    expect(text(html)).toContain('The initial password of Lena Berg (lena@example.com)')
    expect(text(html)).toContain('Shown only once.')
    expect(text(html)).toContain('Copy')
    expect(text(html)).toContain('Done')
  })
})

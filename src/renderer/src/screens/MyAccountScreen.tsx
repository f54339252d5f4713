// My account: own 2FA status, activate, deactivate, recovery codes, password.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ChangePasswordForm } from '../components/ChangePasswordForm'
import { CodePromptDialog } from '../components/CodePromptDialog'
import { SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel'
import { StatusLine } from '../components/StatusShield'
import { ENFORCEMENT_SOURCE_LABEL, formatDateTime, ROLE_LABEL } from '../lib/format'
import { useAppStore } from '../store/context'

type Prompt = 'deactivate' | 'regenerate'

/** The two changes that ask for a current code first. */
const PROMPTS: Record<Prompt, { title: string; confirmLabel: string; tone: 'default' | 'danger'; text: string }> = {
  deactivate: {
    title: 'Deactivate 2FA?',
    confirmLabel: 'Deactivate',
    tone: 'danger',
    text: 'Enter the current code from your authenticator app to confirm. Your recovery codes stop working too.'
  },
  regenerate: {
    title: 'Regenerate recovery codes?',
    confirmLabel: 'Regenerate',
    tone: 'default',
    text: 'Enter the current code from your authenticator app. You get 10 new codes; the old ones stop working.'
  }
}

export function MyAccountScreen() {
  const { account, loading, loadError, actions, newRecoveryCodes, regenerateRequested } = useAppStore(
    useShallow((s) => ({
      account: s.myAccount.account,
      loading: s.myAccount.loading,
      loadError: s.myAccount.loadError,
      actions: s.myAccount.actionStatus,
      newRecoveryCodes: s.myAccount.newRecoveryCodes,
      regenerateRequested: s.myAccount.regenerateRequested
    }))
  )
  const { load, deactivate, regenerateRecoveryCodes, dismissRecoveryCodes, changePassword, clearAction, regenerateOpened } = useAppStore((s) => s.myAccount.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [prompt, setPrompt] = useState<Prompt | null>(null)

  useEffect(() => {
    void load()
  }, [load])

  // "Generate new recovery codes" in the notice after a sign-in with a recovery code: the prompt opens at once.
  useEffect(() => {
    if (!regenerateRequested) return
    regenerateOpened()
    clearAction('regenerate')
    setPrompt('regenerate')
  }, [regenerateRequested, regenerateOpened, clearAction])

  const header = <PageHeader title="My account" subtitle={account ? `${account.me.name} · ${account.me.email} · ${ROLE_LABEL[account.me.role]}` : null} />

  if (!account) {
    return (
      <Page>
        {header}
        <PageState loading={loading} loadingLabel="Loading your account…" error={loadError} />
      </Page>
    )
  }

  if (newRecoveryCodes) {
    return (
      <Page>
        {header}
        <div className="card">
          <RecoveryCodesPanel codes={newRecoveryCodes} account={account.me.email} name={account.me.name} onContinue={dismissRecoveryCodes} />
        </div>
      </Page>
    )
  }

  const active = account.status === 'active'
  return (
    <Page>
      {header}
      <section className="card" aria-labelledby="my-2fa-heading">
        <h2 id="my-2fa-heading">Two-factor authentication</h2>
        <StatusLine status={account.status}>
          {active && account.activeSince ? <span className="muted"> · since {formatDateTime(account.activeSince)}</span> : null}
          {account.enforced ? <span className="muted"> · {ENFORCEMENT_SOURCE_LABEL[account.enforcementSource]}</span> : null}
        </StatusLine>
        <SuccessMessage message={actions.deactivate.success ?? actions.regenerate.success} />

        {active ? (
          <div className="action-list">
            <div className="action-row">
              <div>
                <h3>Recovery codes</h3>
                <p className="muted">
                  {account.recoveryCodesRemaining} of 10 left. New codes replace all old ones.
                </p>
              </div>
              <button
                type="button"
                className="button"
                onClick={() => {
                  clearAction('regenerate')
                  setPrompt('regenerate')
                }}
              >
                Regenerate recovery codes
              </button>
            </div>
            <div className="action-row">
              <div>
                <h3>Deactivate 2FA</h3>
                {account.canDeactivate ? (
                  <p className="muted">Your account will then be protected by your password only.</p>
                ) : (
                  <p className="muted" id="deactivate-note">
                    {ENFORCEMENT_SOURCE_LABEL[account.enforcementSource]}: you cannot deactivate 2FA.
                  </p>
                )}
              </div>
              <button
                type="button"
                className="button button-danger-outline"
                disabled={!account.canDeactivate}
                aria-describedby={account.canDeactivate ? undefined : 'deactivate-note'}
                onClick={() => {
                  clearAction('deactivate')
                  setPrompt('deactivate')
                }}
              >
                Deactivate 2FA
              </button>
            </div>
          </div>
        ) : (
          <div className="action-row">
            <p>
              {account.enforced
                ? `${ENFORCEMENT_SOURCE_LABEL[account.enforcementSource]}: activate 2FA now.`
                : 'Protect your account with a code from an authenticator app on your phone.'}
            </p>
            <button type="button" className="button button-primary" onClick={() => navigate({ name: 'activate-two-factor' })}>
              Activate 2FA
            </button>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ChangePasswordForm username={account.me.email} pending={actions.password.pending} error={actions.password.error} errorField={actions.password.field ?? null} success={actions.password.success}
          onSubmit={changePassword}
          onAttempt={() => clearAction('password')}
        />
      </section>

      {prompt ? (
        <CodePromptDialog
          title={PROMPTS[prompt].title}
          confirmLabel={PROMPTS[prompt].confirmLabel}
          tone={PROMPTS[prompt].tone}
          pending={actions[prompt].pending}
          error={actions[prompt].error}
          onCancel={() => setPrompt(null)}
          onConfirm={(code) =>
            void (prompt === 'deactivate' ? deactivate : regenerateRecoveryCodes)(code).then((ok) => {
              if (ok) setPrompt(null)
            })
          }
        >
          <p>{PROMPTS[prompt].text}</p>
        </CodePromptDialog>
      ) : null}
    </Page>
  )
}

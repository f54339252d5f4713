// My account: own 2FA status, activate, deactivate, recovery codes, password.
import { useEffect, useState } from 'react'
import { ChangePasswordForm } from '../components/ChangePasswordForm'
import { CodePromptDialog } from '../components/CodePromptDialog'
import { ErrorMessage, Loading, SuccessMessage } from '../components/Messages'
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel'
import { ShieldImage } from '../components/StatusShield'
import { STATUS_LABEL } from '../../../shared/labels'
import { formatDateTime, ROLE_LABEL } from '../lib/format'
import { copyText, downloadText, recoveryCodesText } from '../lib/recovery-codes'
import { useShallow } from 'zustand/react/shallow'
import { useAppStore } from '../store/context'

type Prompt = 'deactivate' | 'regenerate' | null

export function MyAccountScreen() {
  const { account, loading, loadError, actions, newRecoveryCodes } = useAppStore(
    useShallow((s) => ({
      account: s.myAccount.account,
      loading: s.myAccount.loading,
      loadError: s.myAccount.loadError,
      actions: s.myAccount.actionStatus,
      newRecoveryCodes: s.myAccount.newRecoveryCodes
    }))
  )
  const { load, deactivate, regenerateRecoveryCodes, dismissRecoveryCodes, changePassword, clearAction } = useAppStore((s) => s.myAccount.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [prompt, setPrompt] = useState<Prompt>(null)

  useEffect(() => {
    void load()
  }, [load])

  const header = (
    <header className="page-header">
      <div>
        <h1>My account</h1>
        {account ? (
          <p className="muted">
            {account.me.name} · {account.me.email} · {ROLE_LABEL[account.me.role]}
          </p>
        ) : null}
      </div>
    </header>
  )

  if (!account) {
    return (
      <div className="page">
        {header}
        {loading ? <Loading label="Loading your account…" /> : <ErrorMessage message={loadError} />}
      </div>
    )
  }

  if (newRecoveryCodes) {
    const text = recoveryCodesText(newRecoveryCodes, account.me.email)
    return (
      <div className="page">
        {header}
        <div className="card">
          <RecoveryCodesPanel
            codes={newRecoveryCodes}
            onCopy={() => copyText(text)}
            onSave={() => downloadText('2fa-admin-recovery-codes.txt', text)}
            onContinue={dismissRecoveryCodes}
          />
        </div>
      </div>
    )
  }

  const active = account.status === 'active'
  return (
    <div className="page">
      {header}
      <section className="card" aria-labelledby="my-2fa-heading">
        <h2 id="my-2fa-heading">Two-factor authentication</h2>
        <div className="status-line">
          <ShieldImage status={account.status} size={24} />
          <div>
            <strong>{STATUS_LABEL[account.status]}</strong>
            {active && account.activeSince ? <span className="muted"> · since {formatDateTime(account.activeSince)}</span> : null}
            {account.enforced ? <span className="muted"> · enforced by an administrator</span> : null}
          </div>
        </div>
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
                    2FA is enforced for your account by an administrator
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
                ? 'An administrator has enforced 2FA for your account: activate it now.'
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
        <ChangePasswordForm username={account.me.email} pending={actions.password.pending} error={actions.password.error} success={actions.password.success} onSubmit={changePassword} />
      </section>

      {prompt === 'deactivate' ? (
        <CodePromptDialog
          title="Deactivate 2FA?"
          confirmLabel="Deactivate"
          tone="danger"
          pending={actions.deactivate.pending}
          error={actions.deactivate.error}
          onCancel={() => setPrompt(null)}
          onConfirm={(code) =>
            void deactivate(code).then((ok) => {
              if (ok) setPrompt(null)
            })
          }
        >
          <p>Enter the current code from your authenticator app to confirm. Your recovery codes stop working too.</p>
        </CodePromptDialog>
      ) : null}
      {prompt === 'regenerate' ? (
        <CodePromptDialog
          title="Regenerate recovery codes?"
          confirmLabel="Regenerate"
          pending={actions.regenerate.pending}
          error={actions.regenerate.error}
          onCancel={() => setPrompt(null)}
          onConfirm={(code) =>
            void regenerateRecoveryCodes(code).then((ok) => {
              if (ok) setPrompt(null)
            })
          }
        >
          <p>Enter the current code from your authenticator app. You get 10 new codes; the old ones stop working.</p>
        </CodePromptDialog>
      ) : null}
    </div>
  )
}

// Activate 2FA: forced after login while 2FA is enforced and not active, or
// chosen from My account. Both end with the recovery codes, shown once.
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { AuthCard } from '../components/AuthCard'
import { EnrollmentPanel } from '../components/EnrollmentPanel'
import { ErrorMessage, Loading } from '../components/Messages'
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel'
import { copyText, downloadText, recoveryCodesText } from '../lib/recovery-codes'
import { useAppStore } from '../store/context'

function EnrollmentFlow({ onDone }: { onDone: () => void }) {
  const { start, loading, loadError, confirming, error, recoveryCodes } = useAppStore(
    useShallow((s) => ({
      start: s.enrollment.start,
      loading: s.enrollment.loading,
      loadError: s.enrollment.loadError,
      confirming: s.enrollment.confirming,
      error: s.enrollment.error,
      recoveryCodes: s.enrollment.recoveryCodes
    }))
  )
  const account = useAppStore((s) => s.session.me?.email ?? '')
  const { begin, confirm, reset } = useAppStore((s) => s.enrollment.actions)

  useEffect(() => {
    void begin()
    return () => reset()
  }, [begin, reset])

  if (recoveryCodes) {
    const text = recoveryCodesText(recoveryCodes, account)
    return (
      <>
        <p className="message message-success" role="status">
          2FA is active for your account.
        </p>
        <RecoveryCodesPanel
          codes={recoveryCodes}
          onCopy={() => copyText(text)}
          onSave={() => downloadText('2fa-admin-recovery-codes.txt', text)}
          onContinue={onDone}
        />
      </>
    )
  }
  if (loading) return <Loading label="Preparing your QR code…" />
  if (!start) {
    return (
      <div className="stack">
        <ErrorMessage message={loadError ?? 'The setup could not be started.'} />
        <div>
          <button type="button" className="button button-primary" onClick={() => void begin()}>
            Start again
          </button>
        </div>
      </div>
    )
  }
  return <EnrollmentPanel start={start} pending={confirming} error={error} onActivate={(code) => void confirm(code)} />
}

/** Full page, before the person reaches the app: 2FA is enforced and not active yet. */
export function RequiredEnrollmentScreen() {
  const session = useAppStore((s) => s.enrollment.session)
  const { logout, applyStep } = useAppStore((s) => s.session.actions)
  return (
    <AuthCard wide title="Activate 2FA" subtitle="2FA is enforced for your account. Activate it to continue; it takes about a minute.">
      <EnrollmentFlow
        onDone={() => {
          if (session) applyStep(session)
        }}
      />
      <div className="form-links">
        <button type="button" className="link-button" onClick={() => void logout()}>
          Log out
        </button>
      </div>
    </AuthCard>
  )
}

/** Inside the app, from My account. */
export function ActivateTwoFactorScreen({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const done = useAppStore((s) => s.enrollment.recoveryCodes !== null)
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="breadcrumbs">My account</p>
          <h1>Activate 2FA</h1>
        </div>
        {done ? null : (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </header>
      <div className="card">
        <EnrollmentFlow onDone={onDone} />
      </div>
    </div>
  )
}

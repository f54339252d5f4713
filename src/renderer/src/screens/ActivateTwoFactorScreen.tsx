// Activate 2FA: forced after login while 2FA is enforced and not active, or
// chosen from My account. Both end with the recovery codes, shown once.
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { AuthCard } from '../components/AuthCard'
import { EnrollmentPanel } from '../components/EnrollmentPanel'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel'
import { formatDate } from '../lib/format'
import { useAppStore } from '../store/context'

/** The QR code, the first code, then the recovery codes: also the temporary access pass's and the desk's enrollment. */
export function EnrollmentFlow({ onDone }: { onDone: () => void }) {
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
  const name = useAppStore((s) => s.session.me?.name ?? '')
  const { begin, confirm, reset } = useAppStore((s) => s.enrollment.actions)

  useEffect(() => {
    void begin()
    return () => reset()
  }, [begin, reset])

  if (recoveryCodes) {
    return (
      <>
        <p className="message message-success" role="status">
          2FA is active for your account.
        </p>
        <RecoveryCodesPanel codes={recoveryCodes} account={account} name={name} onContinue={onDone} />
      </>
    )
  }
  if (loading || !start) {
    return (
      <PageState
        loading={loading}
        loadingLabel="Preparing your QR code…"
        error={loadError ?? 'The setup could not be started.'}
        action={{ label: 'Start again', onClick: () => void begin(), primary: true }}
      />
    )
  }
  return <EnrollmentPanel start={start} pending={confirming} error={error} onActivate={(code) => void confirm(code)} />
}

/** Full page, before the person reaches the app: 2FA is enforced and not active yet. */
export function RequiredEnrollmentScreen() {
  const session = useAppStore((s) => s.enrollment.session)
  // Once activated, the heading says so: what is left is saving the recovery codes.
  const done = useAppStore((s) => s.enrollment.recoveryCodes !== null)
  const { logout, applyStep } = useAppStore((s) => s.session.actions)
  return (
    <AuthCard
      wide
      title={done ? '2FA is active' : 'Activate 2FA'}
      subtitle={done ? 'Save your recovery codes, then continue.' : '2FA is enforced for your account. Activate it to continue; it takes about a minute.'}
    >
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

/**
 * Signed in during a grace period: shown at every sign-in until 2FA is active,
 * with the days left. "Later" is offered while the deadline has not passed; the
 * app itself refuses the sign-in without 2FA after it.
 */
export function ActivationDueScreen() {
  const due = useAppStore((s) => s.session.activationDue)
  const { activateNow, later, logout } = useAppStore((s) => s.session.actions)
  const days = due?.daysLeft ?? 0
  return (
    <AuthCard title="Activate 2FA" subtitle="2FA is enforced for your account.">
      <p className="message message-warning" role="status">
        {days === 1 ? '1 day left' : `${days} days left`} to activate 2FA
        {due ? ` (activation due by ${formatDate(due.deadline)})` : ''}. After that, you have to activate it when you log in.
      </p>
      <p>It takes about a minute: scan a QR code with an authenticator app on your phone and enter a code.</p>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={activateNow} autoFocus>
          Activate 2FA now
        </button>
        <button type="button" className="button" onClick={later}>
          Later
        </button>
      </div>
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
    <Page>
      <PageHeader
        breadcrumbs="My account"
        title={done ? '2FA is active' : 'Activate 2FA'}
        actions={
          done ? null : (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )
        }
      />
      <div className="card">
        <EnrollmentFlow onDone={onDone} />
      </div>
    </Page>
  )
}

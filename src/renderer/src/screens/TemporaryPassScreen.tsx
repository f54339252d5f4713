// After a sign-in with a temporary access pass: the person can only set a first
// password (when they have none) and activate 2FA; then they are signed in.
// The app enforces this (the pass's session can do nothing else); the screen
// only shows the way.
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { AuthCard } from '../components/AuthCard'
import { FirstPasswordForm } from '../components/FirstPasswordForm'
import { SetupSteps } from '../components/SetupSteps'
import { useAppStore } from '../store/context'
import { EnrollmentFlow } from './ActivateTwoFactorScreen'

export function TemporaryPassScreen() {
  const restricted = useAppStore((s) => s.session.restricted)
  const doneSession = useAppStore((s) => s.enrollment.session)
  const { pending, error, errorField } = useAppStore(
    useShallow((s) => ({ pending: s.temporaryPass.firstPasswordStatus.pending, error: s.temporaryPass.firstPasswordStatus.error, errorField: s.temporaryPass.firstPasswordStatus.field ?? null }))
  )
  const { setFirstPassword } = useAppStore((s) => s.temporaryPass.actions)
  const { logout, applyStep } = useAppStore((s) => s.session.actions)
  // Whether a password step belongs to this setup at all: it stays in the list, done, once set.
  const [withPassword] = useState(() => restricted?.step === 'temporary-pass' && restricted.canSetPassword)
  if (restricted?.step !== 'temporary-pass') return null
  const needsPassword = restricted.canSetPassword
  const steps = withPassword ? ['Set a password', 'Activate 2FA'] : ['Activate 2FA']
  return (
    <AuthCard
      wide
      title="Finish setting up your account"
      subtitle={
        <>
          Signed in with a temporary access pass as <strong>{restricted.me.email}</strong>.{' '}
          {restricted.replacesAuthenticator
            ? 'Set up 2FA on your new phone: it replaces the authenticator you had, once the new one works.'
            : 'The pass lets you set up your account, nothing else.'}
        </>
      }
    >
      <SetupSteps steps={steps} current={withPassword && needsPassword ? 0 : steps.length - 1} />
      {needsPassword ? (
        <FirstPasswordForm person={restricted.me} pending={pending} error={error} errorField={errorField} onSubmit={(password) => void setFirstPassword(password)} />
      ) : (
        <EnrollmentFlow
          onDone={() => {
            if (doneSession) applyStep(doneSession)
          }}
        />
      )}
      <div className="form-links">
        <button type="button" className="link-button" onClick={() => void logout()}>
          Log out
        </button>
      </div>
    </AuthCard>
  )
}

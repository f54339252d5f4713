import { useShallow } from 'zustand/react/shallow'
import { AuthCard } from '../components/AuthCard'
import { LoginForm, SecondFactorForm } from '../components/LoginForm'
import { Notice } from '../components/Messages'
import { useAppStore } from '../store/context'

export function LoginScreen() {
  const { phase, pending, error, errorField, notice, email, locked } = useAppStore(
    useShallow((s) => ({
      phase: s.session.phase,
      pending: s.session.pending,
      error: s.session.error,
      errorField: s.session.errorField,
      notice: s.session.notice,
      email: s.session.email,
      locked: s.session.locked
    }))
  )
  const { login, verifyCode, verifyRecoveryCode, logout, clearError } = useAppStore((s) => s.session.actions)

  if (phase === 'second-factor') {
    return (
      <AuthCard title="Two-factor authentication" subtitle={<>Signing in as <strong>{email}</strong></>}>
        <SecondFactorForm
          pending={pending}
          error={error}
          locked={locked}
          onVerifyCode={(code) => void verifyCode(code)}
          onVerifyRecoveryCode={(code) => void verifyRecoveryCode(code)}
          onModeChange={clearError}
          onCancel={() => void logout()}
        />
      </AuthCard>
    )
  }
  return (
    <AuthCard title="Log in">
      {/* The note about the last session, unless this attempt's own error says more. */}
      <Notice message={error ? null : notice} />
      <LoginForm pending={pending} error={error} errorField={errorField} initialEmail={email} onSubmit={(e, p) => void login(e, p)} />
    </AuthCard>
  )
}

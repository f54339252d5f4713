import { useShallow } from 'zustand/react/shallow'
import { AuthCard } from '../components/AuthCard'
import { LoginForm, SecondFactorForm } from '../components/LoginForm'
import { Notice } from '../components/Messages'
import { useAppStore } from '../store/context'

export function LoginScreen() {
  const { phase, pending, error, notice, email } = useAppStore(
    useShallow((s) => ({ phase: s.session.phase, pending: s.session.pending, error: s.session.error, notice: s.session.notice, email: s.session.email }))
  )
  const { login, verifyCode, verifyRecoveryCode, logout, clearError } = useAppStore((s) => s.session.actions)

  if (phase === 'second-factor') {
    return (
      <AuthCard title="Two-factor authentication" subtitle={<>Signing in as <strong>{email}</strong></>}>
        <SecondFactorForm
          pending={pending}
          error={error}
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
      <Notice message={notice} />
      <LoginForm pending={pending} error={error} initialEmail={email} onSubmit={(e, p) => void login(e, p)} />
    </AuthCard>
  )
}

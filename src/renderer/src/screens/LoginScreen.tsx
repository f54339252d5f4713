import { AuthCard } from '../components/AuthCard'
import { LoginForm, SecondFactorForm } from '../components/LoginForm'
import { Notice } from '../components/Messages'
import { useSessionStore } from '../stores/session-store'

export function LoginScreen() {
  const phase = useSessionStore((s) => s.phase)
  const pending = useSessionStore((s) => s.pending)
  const error = useSessionStore((s) => s.error)
  const notice = useSessionStore((s) => s.notice)
  const email = useSessionStore((s) => s.email)
  const { login, verifyCode, verifyRecoveryCode, logout, clearError } = useSessionStore.getState()

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

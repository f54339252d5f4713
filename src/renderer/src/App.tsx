// The root: which stage of the session is shown, and the idle sign-out.
import { useEffect } from 'react'
import { AuthCard } from './components/AuthCard'
import { IdleWarning } from './components/IdleWarning'
import { PageState } from './components/PageState'
import { useIdleTimeout } from './lib/use-idle-timeout'
import { ActivationDueScreen, RequiredEnrollmentScreen } from './screens/ActivateTwoFactorScreen'
import { InPersonEnrollmentScreen } from './screens/InPersonEnrollmentScreen'
import { LoginScreen } from './screens/LoginScreen'
import { SetupScreen } from './screens/SetupScreen'
import { Shell } from './screens/Shell'
import { TemporaryPassScreen } from './screens/TemporaryPassScreen'
import { useAppStore } from './store/context'
import type { Phase as SessionPhase } from './store/slices/session'

export function App() {
  const phase = useAppStore((s) => s.session.phase)
  const loadError = useAppStore((s) => s.session.loadError)
  const idleTimeoutMs = useAppStore((s) => s.session.idleTimeoutMs)
  const { load, signOutAfterInactivity, staySignedIn } = useAppStore((s) => s.session.actions)

  useEffect(() => {
    void load()
  }, [load])

  const hasSession = phase === 'signed-in' || phase === 'enrollment-required' || phase === 'activation-due' || phase === 'second-factor' || phase === 'temporary-pass' || phase === 'in-person'
  const idle = useIdleTimeout(hasSession, idleTimeoutMs, () => void signOutAfterInactivity(), () => void staySignedIn())
  return (
    <>
      <Phase phase={phase} loadError={loadError} onRetry={() => void load()} />
      {hasSession && idle.secondsLeft !== null ? <IdleWarning secondsLeft={idle.secondsLeft} onStay={idle.stay} /> : null}
    </>
  )
}

function Phase({ phase, loadError, onRetry }: { phase: SessionPhase; loadError: string | null; onRetry: () => void }) {
  switch (phase) {
    case 'loading':
      return (
        <main className="auth-page">
          <PageState loading loadingLabel="Starting 2FA Admin…" />
        </main>
      )
    case 'unavailable':
      return (
        <AuthCard title="2FA Admin cannot start">
          <PageState error={loadError} action={{ label: 'Try again', onClick: onRetry, primary: true }} />
        </AuthCard>
      )
    case 'setup':
      return <SetupScreen />
    case 'login':
    case 'second-factor':
      return <LoginScreen />
    case 'enrollment-required':
      return <RequiredEnrollmentScreen />
    case 'activation-due':
      return <ActivationDueScreen />
    case 'temporary-pass':
      return <TemporaryPassScreen />
    case 'in-person':
      return <InPersonEnrollmentScreen />
    case 'signed-in':
      return <Shell />
  }
}

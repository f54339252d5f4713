// The root: which stage of the session is shown, and the idle sign-out.
import { useEffect } from 'react'
import { AuthCard } from './components/AuthCard'
import { ErrorMessage, Loading } from './components/Messages'
import { useIdleTimeout } from './lib/use-idle-timeout'
import { RequiredEnrollmentScreen } from './screens/ActivateTwoFactorScreen'
import { LoginScreen } from './screens/LoginScreen'
import { SetupScreen } from './screens/SetupScreen'
import { Shell } from './screens/Shell'
import { useSessionStore } from './stores/session-store'

export function App() {
  const phase = useSessionStore((s) => s.phase)
  const loadError = useSessionStore((s) => s.loadError)
  const idleTimeoutMinutes = useSessionStore((s) => s.idleTimeoutMinutes)
  const signOutAfterInactivity = useSessionStore((s) => s.signOutAfterInactivity)

  useEffect(() => {
    void useSessionStore.getState().load()
  }, [])

  const hasSession = phase === 'signed-in' || phase === 'enrollment-required' || phase === 'second-factor'
  useIdleTimeout(hasSession, idleTimeoutMinutes, () => void signOutAfterInactivity())

  switch (phase) {
    case 'loading':
      return (
        <main className="auth-page">
          <Loading label="Starting 2FA Admin…" />
        </main>
      )
    case 'unavailable':
      return (
        <AuthCard title="2FA Admin cannot start">
          <ErrorMessage message={loadError} />
          <button type="button" className="button button-primary" onClick={() => void useSessionStore.getState().load()}>
            Try again
          </button>
        </AuthCard>
      )
    case 'setup':
      return <SetupScreen />
    case 'login':
    case 'second-factor':
      return <LoginScreen />
    case 'enrollment-required':
      return <RequiredEnrollmentScreen />
    case 'signed-in':
      return <Shell />
  }
}

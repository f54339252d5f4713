import { AuthCard } from '../components/AuthCard'
import { SetupForm } from '../components/SetupForm'
import { useSessionStore } from '../stores/session-store'

export function SetupScreen() {
  const pending = useSessionStore((s) => s.pending)
  const error = useSessionStore((s) => s.error)
  const setup = useSessionStore((s) => s.setup)
  return (
    <AuthCard title="Set up 2FA Admin" subtitle="Create the first administrator. You will activate 2FA for this account next.">
      <SetupForm pending={pending} error={error} onSubmit={(input) => void setup(input)} />
    </AuthCard>
  )
}

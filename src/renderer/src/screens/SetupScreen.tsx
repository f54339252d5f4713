import { useShallow } from 'zustand/react/shallow'
import { AuthCard } from '../components/AuthCard'
import { SetupForm } from '../components/SetupForm'
import { useAppStore } from '../store/context'

export function SetupScreen() {
  const { pending, error, errorField } = useAppStore(useShallow((s) => ({ pending: s.session.pending, error: s.session.error, errorField: s.session.errorField })))
  const { setup, clearError } = useAppStore((s) => s.session.actions)
  return (
    <AuthCard title="Set up 2FA Admin" subtitle="Create the first administrator. You will activate 2FA for this account next.">
      <SetupForm pending={pending} error={error} errorField={errorField} onSubmit={(input) => void setup(input)} onAttempt={clearError} />
    </AuthCard>
  )
}

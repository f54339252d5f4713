// Enrollment at the administrator's desk, in the window the admin handed over:
// the user proves who they are, scans the QR code, enters a code and saves
// their recovery codes; then only the admin's own password or code gives the
// screen back. Cancel at any step leads to that unlock too. The app holds the
// admin's session locked meanwhile and answers this window as the user's
// hand-over session: nothing here can act as the admin.
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { AdminUnlockForm } from '../components/AdminUnlockForm'
import { AuthCard } from '../components/AuthCard'
import { Field } from '../components/Field'
import { ErrorMessage } from '../components/Messages'
import { SetupSteps } from '../components/SetupSteps'
import { useAppStore } from '../store/context'
import { EnrollmentFlow } from './ActivateTwoFactorScreen'

const STEPS = ['Prove who you are', 'Activate 2FA', 'Hand back'] as const
const STEP_OF = { identify: 0, enroll: 1, done: 2 } as const

function IdentifyForm({ name, pending, error, onSubmit }: { name: string; pending: boolean; error: string | null; onSubmit: (secret: string) => void }) {
  const [secret, setSecret] = useState('')
  return (
    <form
      className="form form-narrow"
      aria-label="Prove who you are"
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit(secret)
      }}
    >
      <p>
        {name}, enter your password, or the temporary access pass your administrator gave you.
      </p>
      <Field label="Your password or temporary access pass" type="password" autoComplete="off" required value={secret} onChange={setSecret} autoFocus />
      <ErrorMessage message={error} />
      <div>
        <button type="submit" className="button button-primary" disabled={pending || secret.length === 0}>
          Continue
        </button>
      </div>
    </form>
  )
}

export function InPersonEnrollmentScreen() {
  const restricted = useAppStore((s) => s.session.restricted)
  const { status, enrolled, doneSession } = useAppStore(
    useShallow((s) => ({ status: s.inPerson.status, enrolled: s.enrollment.recoveryCodes !== null, doneSession: s.enrollment.session }))
  )
  const { identify, cancel, unlock, clearError } = useAppStore((s) => s.inPerson.actions)
  const { applyStep } = useAppStore((s) => s.session.actions)
  if (restricted?.step !== 'in-person') return null
  const { stage, me, admin } = restricted
  const current = STEP_OF[stage]
  return (
    <AuthCard
      wide={stage === 'enroll'}
      title="Enroll in person"
      subtitle={
        stage === 'done' ? (
          <>The setup for {me.name} is over. The screen is locked until the administrator unlocks it.</>
        ) : (
          <>
            {admin} handed this screen to <strong>{me.name}</strong> ({me.email}) to set up 2FA.
          </>
        )
      }
    >
      <SetupSteps steps={STEPS} current={current} />
      {stage === 'identify' ? <IdentifyForm name={me.name} pending={status.pending} error={status.error} onSubmit={(secret) => void identify(secret)} /> : null}
      {stage === 'enroll' ? (
        <EnrollmentFlow
          onDone={() => {
            if (doneSession) applyStep(doneSession)
          }}
        />
      ) : null}
      {stage === 'done' ? <AdminUnlockForm admin={admin} pending={status.pending} error={status.error} onUnlock={(answer) => void unlock(answer)} onModeChange={clearError} /> : null}
      {stage !== 'done' && !enrolled ? (
        <div className="form-links">
          <button type="button" className="link-button" onClick={() => void cancel()} disabled={status.pending}>
            Cancel and hand back
          </button>
        </div>
      ) : null}
    </AuthCard>
  )
}

// The warning before the idle sign-out: the seconds left, counting down, and
// "Stay signed in". Escape answers it the same way: the person is there.
import { Dialog } from './Dialog'

export function IdleWarning({ secondsLeft, onStay }: { secondsLeft: number; onStay: () => void }) {
  return (
    <Dialog
      title="Are you still there?"
      onClose={onStay}
      onSubmit={onStay}
      actions={
        <button type="submit" className="button button-primary" data-autofocus>
          Stay signed in
        </button>
      }
    >
      <p role="alert">You will be signed out in {secondsLeft} s.</p>
      <p className="muted">You have been inactive for a while. Unsaved changes are lost when you are signed out.</p>
    </Dialog>
  )
}

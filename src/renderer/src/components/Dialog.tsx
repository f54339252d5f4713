// A modal <dialog>: the browser keeps focus inside it and makes the page behind
// inert; Escape closes it. Render it only while it is open.
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react'
import { ErrorMessage } from './Messages'
import './Dialog.css'

interface DialogProps {
  title: string
  onClose: () => void
  children: ReactNode
  /** Buttons, right-aligned at the bottom. */
  actions?: ReactNode
  /** Wrap the body and the actions in a form that submits on Enter. */
  onSubmit?: () => void
  tone?: 'default' | 'danger'
  /**
   * For a dialog whose steps replace its content: when this changes, focus
   * moves again to the element marked for first focus (else it would fall to
   * the page when the focused element goes).
   */
  focusKey?: string
}

export function Dialog({ title, onClose, children, actions, onSubmit, tone = 'default', focusKey }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const latestOnClose = useRef(onClose)
  useLayoutEffect(() => {
    latestOnClose.current = onClose
  })
  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (!dialog.open) dialog.showModal()
    let unmounting = false
    // Chromium stops letting a page refuse Escape after a few presses without other input
    // (the cancel event is then not cancelable) and closes the dialog itself. The dialog
    // stays while it is rendered: shown again, and asked to close the usual way (a busy one declines).
    const closedByBrowser = (): void => {
      if (unmounting) return
      dialog.showModal()
      latestOnClose.current()
    }
    dialog.addEventListener('close', closedByBrowser)
    return () => {
      unmounting = true
      dialog.removeEventListener('close', closedByBrowser)
      dialog.close()
    }
  }, [])
  useLayoutEffect(() => {
    // Prefer the element marked for first focus (a code input, or Cancel before a destructive button).
    ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus()
  }, [focusKey])

  const body = (
    <>
      <div className="dialog-body">{children}</div>
      {actions ? <div className="dialog-actions">{actions}</div> : null}
    </>
  )
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${tone}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {onSubmit ? (
        <form
          // The app checks every field and says what is wrong beside it (Field.tsx), not the browser's bubble.
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            onSubmit()
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  )
}

interface ConfirmDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
  pending?: boolean
  error?: string | null
  tone?: 'default' | 'danger'
}

/**
 * Cancel and the submit button of a dialog, the same in every dialog.
 * `focusCancel` puts the first focus on Cancel, for confirmations of actions
 * that cannot be undone.
 */
export function DialogActions({
  onCancel,
  confirmLabel,
  tone = 'default',
  pending = false,
  focusCancel = false
}: {
  onCancel: () => void
  confirmLabel: string
  tone?: 'default' | 'danger'
  pending?: boolean
  focusCancel?: boolean
}) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel} {...(focusCancel ? { 'data-autofocus': true } : {})}>
        Cancel
      </button>
      <button type="submit" className={tone === 'danger' ? 'button button-danger' : 'button button-primary'} disabled={pending}>
        {confirmLabel}
      </button>
    </>
  )
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel, pending = false, error, tone = 'default' }: ConfirmDialogProps) {
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      tone={tone}
      onSubmit={onConfirm}
      actions={<DialogActions onCancel={onCancel} confirmLabel={confirmLabel} tone={tone} pending={pending} focusCancel />}
    >
      {children}
      <ErrorMessage message={error} />
    </Dialog>
  )
}

// The confirmation of a bulk action: the core's exact counts ("312 users will
// have to activate 2FA at their next login; 12 administrators are always
// enforced and unchanged"), then the change. Pure.
import type { BulkAction, BulkCounts } from '../../../shared/contract'
import { BULK_ACTION_LABEL, confirmTitle, isDestructive } from '../lib/bulk-wording'
import { Dialog, DialogActions } from './Dialog'
import { ErrorMessage, Loading } from './Messages'
import './BulkBar.css'

export interface BulkConfirmDialogProps {
  action: BulkAction
  selected: number
  preview: BulkCounts | null
  pending: boolean
  error: string | null
  onConfirm: () => void
  onCancel: () => void
}

export function BulkConfirmDialog({ action, selected, preview, pending, error, onConfirm, onCancel }: BulkConfirmDialogProps) {
  const tone = isDestructive(action) ? 'danger' : 'default'
  const nothing = preview !== null && preview.willChange === 0
  return (
    <Dialog
      title={confirmTitle(action, preview?.selected ?? selected)}
      onClose={onCancel}
      tone={tone}
      onSubmit={nothing || preview === null ? onCancel : onConfirm}
      focusKey={preview === null ? 'counting' : 'counted'}
      actions={
        nothing ? (
          <button type="submit" className="button button-primary" data-autofocus>
            Close
          </button>
        ) : (
          <DialogActions onCancel={onCancel} confirmLabel={BULK_ACTION_LABEL[action]} tone={tone} pending={pending || preview === null} focusCancel />
        )
      }
    >
      {preview === null ? error === null ? <Loading label="Counting what would change…" /> : null : <p className="bulk-summary">{preview.summary}</p>}
      {action === 'resetTwoFactor' && preview !== null && !nothing ? <p className="muted">They set up 2FA again at their next login. This cannot be undone.</p> : null}
      {action === 'disable' && preview !== null && !nothing ? <p className="muted">Disabled users cannot log in until an administrator enables them again.</p> : null}
      <ErrorMessage message={error} />
    </Dialog>
  )
}

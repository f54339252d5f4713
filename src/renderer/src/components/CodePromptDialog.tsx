// A dialog that asks for the current authentication code before a sensitive change.
import { useState, type ReactNode } from 'react'
import { Dialog, DialogActions } from './Dialog'
import { CodeField } from './Field'
import { ErrorMessage } from './Messages'

interface CodePromptDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  pending: boolean
  error: string | null
  tone?: 'default' | 'danger'
  onConfirm: (code: string) => void
  onCancel: () => void
}

export function CodePromptDialog({ title, children, confirmLabel, pending, error, tone = 'default', onConfirm, onCancel }: CodePromptDialogProps) {
  const [code, setCode] = useState('')
  return (
    <Dialog
      title={title}
      tone={tone}
      onClose={onCancel}
      onSubmit={() => onConfirm(code)}
      actions={<DialogActions onCancel={onCancel} confirmLabel={confirmLabel} tone={tone} pending={pending} />}
    >
      {children}
      <CodeField value={code} onChange={setCode} data-autofocus />
      <ErrorMessage message={error} />
    </Dialog>
  )
}

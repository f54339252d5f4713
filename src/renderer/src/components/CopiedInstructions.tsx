// "Instructions copied": the feedback of Copy instructions, with the text itself
// (to read it, or to copy it by hand when the clipboard refused it). Pure.
import { plural } from '../lib/format'
import { INSTRUCTIONS_COPIED } from '../lib/bulk-wording'
import './BulkBar.css'

export function CopiedInstructions({ text, users, copied, onDismiss }: { text: string; users: number; copied: boolean; onDismiss: () => void }) {
  return (
    <div className="copied-instructions">
      <p className={copied ? 'message message-success' : 'message message-info'} role="status">
        {copied ? `${INSTRUCTIONS_COPIED} for ${plural(users, 'user')}: paste them into an email or a chat.` : 'The clipboard is not available here: copy the text below.'}{' '}
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
      <details open={!copied}>
        <summary>Show the text</summary>
        <pre data-testid="instructions-text">{text}</pre>
      </details>
    </div>
  )
}

// Feedback near a form: errors are alerts, success is a polite status.
import './Messages.css'

export function ErrorMessage({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null
  return (
    <p className="message message-error" role="alert" id={id}>
      {message}
    </p>
  )
}

export function SuccessMessage({ message }: { message: string | null | undefined }) {
  // Always rendered so screen readers hear the text when it appears.
  return (
    <p className={message ? 'message message-success' : 'message-placeholder'} role="status">
      {message ?? ''}
    </p>
  )
}

export function Notice({ message }: { message: string | null | undefined }) {
  if (!message) return null
  return (
    <p className="message message-info" role="status">
      {message}
    </p>
  )
}

/** Installation-wide problems an administrator must act on, above every screen. */
export function WarningBanner({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null
  return (
    <div className="message message-warning warning-banner" role="alert">
      {warnings.map((warning) => (
        <p key={warning}>{warning}</p>
      ))}
    </div>
  )
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}

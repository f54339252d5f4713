// What a screen or a list shows in place of its content: that it is loading,
// what went wrong, or that there is nothing to show; with a way on if there is one.
import type { ReactNode } from 'react'
import { ErrorMessage, Loading } from './Messages'
import './PageState.css'

interface PageStateProps {
  loading?: boolean
  /** What is loading, in words: "Loading users…". */
  loadingLabel?: string
  error?: string | null
  /** Said when it neither loads nor failed (an empty list); nothing is shown without it. */
  empty?: ReactNode
  /** "Try again", "Start again", "Clear filters". */
  action?: { label: string; onClick: () => void; primary?: boolean }
}

export function PageState({ loading = false, loadingLabel = 'Loading…', error, empty, action }: PageStateProps) {
  if (loading) return <Loading label={loadingLabel} />
  const button = action ? (
    <button type="button" className={action.primary ? 'button button-primary' : 'button'} onClick={action.onClick}>
      {action.label}
    </button>
  ) : null
  if (error) {
    return (
      <div className="stack">
        <ErrorMessage message={error} />
        {button ? <div>{button}</div> : null}
      </div>
    )
  }
  if (empty === undefined) return null
  return (
    <div className="empty-state">
      <p>{empty}</p>
      {button}
    </div>
  )
}

// The one way a store action calls the app on behalf of a form, a button or a
// screen that loads: its status goes to pending, then to the app's error or to
// a success note, and an answer that no longer matters is dropped unseen.
import type { Result } from '../../../shared/errors'

export interface ActionStatus {
  pending: boolean
  error: string | null
  success: string | null
  /** The input the error is about (the app's VALIDATION field, for instance), for the form to show it beside that field. */
  field?: string | null
}

export const IDLE: ActionStatus = { pending: false, error: null, success: null }
const PENDING: ActionStatus = { pending: true, error: null, success: null }

export function succeeded(message: string | null = null): ActionStatus {
  return { pending: false, error: null, success: message }
}

export interface RunAction<T> {
  /** Where the status goes (a slice field); called with pending, then with the outcome. */
  show: (status: ActionStatus) => void
  send: () => Promise<Result<T>>
  /** Keeps what the app answered, just before the status says it went through. */
  keep?: (value: T) => void
  /** The note to show once it went through. */
  success?: (value: T) => string | null
  /** Whether the answer still matters when it arrives (see latest.ts); if not, nothing changes. */
  isCurrent?: () => boolean
}

/** Resolves to the app's answer, for the action to keep its value or read its error code; null when it was dropped. */
export async function runAction<T>({ show, send, keep, success, isCurrent }: RunAction<T>): Promise<Result<T> | null> {
  show(PENDING)
  const result = await send()
  if (isCurrent && !isCurrent()) return null
  if (result.ok) {
    keep?.(result.value)
    show(succeeded(success ? success(result.value) : null))
  } else {
    const { message, field } = result.error
    show(field === undefined ? { pending: false, error: message, success: null } : { pending: false, error: message, success: null, field })
  }
  return result
}

/**
 * A screen with several actions shows one note at a time: an action that starts
 * clears the others' notes (one still pending stays so); an outcome changes only its own.
 */
export function withStatus<All extends Record<string, ActionStatus>>(all: All, action: keyof All, status: ActionStatus): All {
  const next: Record<string, ActionStatus> = { ...all }
  if (status.pending) for (const [key, current] of Object.entries(next)) if (!current.pending) next[key] = IDLE
  next[action as string] = status
  return next as All
}

// The idle sign-out as the screen sees it: a warning one minute before ("You
// will be signed out in 60 s."), then onIdle once, after `timeoutMs` without
// keyboard, mouse, touch or wheel input. The app ends the session on its own
// clock as well (sessions.ts): activity here keeps it alive with onActive, at
// most once a minute, and "Stay signed in" at once.
import { useCallback, useEffect, useRef, useState } from 'react'
import { IDLE_WARNING_MS } from '../../../shared/limits'

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focusin'] as const
const CHECK_EVERY_MS = 1_000
/** Activity tells the app at most this often that the person is still there. */
const TOUCH_EVERY_MS = 60_000

export function isIdle(lastActivityAt: number, now: number, timeoutMs: number): boolean {
  return now - lastActivityAt >= timeoutMs
}

/** Whole seconds left before the sign-out while the warning shows, else null. */
export function warningSecondsLeft(lastActivityAt: number, now: number, timeoutMs: number): number | null {
  const left = lastActivityAt + timeoutMs - now
  // A minute before; for the short timeouts of the end-to-end tests, the second half.
  if (left <= 0 || left > Math.min(IDLE_WARNING_MS, timeoutMs / 2)) return null
  return Math.ceil(left / 1000)
}

export interface IdleTimeout {
  /** Seconds left while the warning shows; null otherwise. */
  secondsLeft: number | null
  /** "Stay signed in": the countdown starts again, and the app is told at once. */
  stay: () => void
}

export function useIdleTimeout(enabled: boolean, timeoutMs: number, onIdle: () => void, onActive: () => void): IdleTimeout {
  const onIdleRef = useRef(onIdle)
  const onActiveRef = useRef(onActive)
  useEffect(() => {
    onIdleRef.current = onIdle
    onActiveRef.current = onActive
  }, [onIdle, onActive])
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null)
  const lastActivityAt = useRef(0)
  const lastTouchAt = useRef(0)
  const warning = useRef(false)

  useEffect(() => {
    setSecondsLeft(null)
    if (!enabled || timeoutMs <= 0) return
    lastActivityAt.current = lastTouchAt.current = Date.now()
    warning.current = false
    let fired = false
    const touch = () => {
      // Once the warning shows, only "Stay signed in" keeps the session: a mouse passing by is not an answer.
      if (warning.current) return
      const now = Date.now()
      lastActivityAt.current = now
      if (now - lastTouchAt.current >= TOUCH_EVERY_MS) {
        lastTouchAt.current = now
        onActiveRef.current()
      }
    }
    // A periodic check, not one long timer: it also notices time spent asleep.
    const timer = setInterval(() => {
      if (fired) return
      const now = Date.now()
      if (isIdle(lastActivityAt.current, now, timeoutMs)) {
        fired = true
        warning.current = false
        setSecondsLeft(null)
        onIdleRef.current()
        return
      }
      const left = warningSecondsLeft(lastActivityAt.current, now, timeoutMs)
      warning.current = left !== null
      setSecondsLeft(left)
    }, CHECK_EVERY_MS)
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { passive: true, capture: true })
    return () => {
      clearInterval(timer)
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true })
    }
  }, [enabled, timeoutMs])

  const stay = useCallback(() => {
    lastActivityAt.current = lastTouchAt.current = Date.now()
    warning.current = false
    setSecondsLeft(null)
    onActiveRef.current()
  }, [])

  return { secondsLeft, stay }
}

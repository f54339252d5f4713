// Calls onIdle once after `minutes` without keyboard, mouse, touch or wheel input.
import { useEffect, useRef } from 'react'

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focusin'] as const
const CHECK_EVERY_MS = 5_000

export function isIdle(lastActivityAt: number, now: number, minutes: number): boolean {
  return now - lastActivityAt >= minutes * 60_000
}

export function useIdleTimeout(enabled: boolean, minutes: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle)
  useEffect(() => {
    onIdleRef.current = onIdle
  }, [onIdle])

  useEffect(() => {
    if (!enabled || minutes <= 0) return
    let lastActivityAt = Date.now()
    let fired = false
    const touch = () => {
      lastActivityAt = Date.now()
    }
    // A periodic check, not one long timer: it also notices time spent asleep.
    const timer = setInterval(() => {
      if (!fired && isIdle(lastActivityAt, Date.now(), minutes)) {
        fired = true
        onIdleRef.current()
      }
    }, CHECK_EVERY_MS)
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { passive: true, capture: true })
    return () => {
      clearInterval(timer)
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true })
    }
  }, [enabled, minutes])
}

// The idle sign-out's timing on the screen (issue 13, section 4, item 11): the
// warning shows the last minute, counting whole seconds down, then the sign-out.
import { describe, expect, it } from 'vitest'
import { isIdle, warningSecondsLeft } from '../../../src/renderer/src/lib/use-idle-timeout'

const MINUTE = 60_000

describe('the idle warning', () => {
  it('shows the last 60 s of a 15-minute timeout, counting down, and the sign-out comes at the end', () => {
    const timeout = 15 * MINUTE
    expect(warningSecondsLeft(0, 14 * MINUTE - 1, timeout)).toBeNull()
    expect(warningSecondsLeft(0, 14 * MINUTE, timeout)).toBe(60)
    expect(warningSecondsLeft(0, 14 * MINUTE + 30_500, timeout)).toBe(30)
    expect(warningSecondsLeft(0, 15 * MINUTE - 1, timeout)).toBe(1)
    expect(isIdle(0, 15 * MINUTE - 1, timeout)).toBe(false)
    expect(isIdle(0, 15 * MINUTE, timeout)).toBe(true)
    expect(warningSecondsLeft(0, 15 * MINUTE, timeout)).toBeNull()
  })

  it('a timeout shorter than two minutes (the end-to-end tests) warns for its second half', () => {
    expect(warningSecondsLeft(0, 9_999, 20_000)).toBeNull()
    expect(warningSecondsLeft(0, 10_000, 20_000)).toBe(10)
  })
})

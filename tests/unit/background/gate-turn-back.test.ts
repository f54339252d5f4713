// How a call under way comes back to the write gate after it stepped out (for
// a task of its own, or around a dialog), found by a review of the gate: it
// is counted once however its step-outs interleave, it waits for its turn no
// longer than any call does, and a release given twice never lets a second
// task go. The gate's other rules: write-gate.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { GATE_WAIT_MS, WriteGate } from '../../../src/main/core/write-gate'

const turn = (): Promise<void> => new Promise((next) => setImmediate(next))

/** Whether a task may begin now (no call is counted as under way): its acquire resolves within a few turns. */
async function taskBegins(gate: WriteGate): Promise<boolean> {
  let began = false
  void gate.acquire().then((release) => {
    began = true
    release()
  })
  for (let i = 0; i < 5; i++) await turn()
  return began
}

describe('a call coming back to the write gate', () => {
  afterEach(() => void vi.useRealTimers())

  it('is counted once when it stepped out for a second task while waiting to come back from the first', async () => {
    const gate = new WriteGate()
    await gate.duringCall(async () => {
      // The call starts a first task without awaiting it; another task takes the gate meanwhile.
      const backFromFirst = gate.stepOut()!
      const other = await gate.acquire()
      // The first task ends while the other holds the gate: the call queues to count again...
      const comingBack = backFromFirst(false)
      // ...and, before its turn comes, starts a second task.
      const backFromSecond = gate.stepOut()!
      other()
      await comingBack
      await backFromSecond(false)
    })
    // The call has answered: nothing may be left counted, or no task could ever begin again.
    expect(await taskBegins(gate)).toBe(true)
  })

  it('after a dialog, is refused as busy once it waited GATE_WAIT_MS for a task that took the gate meanwhile', async () => {
    vi.useFakeTimers()
    const gate = new WriteGate()
    let release: (() => void) | null = null
    let outcome: string | null = null
    const call = gate
      .duringCall(async () => {
        await gate.aside(async () => {
          release = await gate.acquire()
        })
        return 'ran'
      })
      .then(
        (value) => (outcome = value),
        (error: unknown) => (outcome = `refused: ${(error as { code?: string }).code}`)
      )
    await vi.advanceTimersByTimeAsync(GATE_WAIT_MS - 1_000)
    expect(outcome).toBeNull()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(outcome).toBe('refused: DATABASE_BUSY')
    // Refused, it was never counted: the task's release leaves the gate free for the next one.
    release!()
    await call
    vi.useRealTimers()
    expect(await taskBegins(gate)).toBe(true)
  })

  it('a release given again after a second task was granted does not let that task go', async () => {
    const gate = new WriteGate()
    const first = await gate.acquire()
    const second = gate.acquire()
    first()
    const releaseSecond = await second
    expect(gate.held).toBe(true)
    first()
    expect(gate.held).toBe(true)
    releaseSecond()
    expect(gate.held).toBe(false)
  })
})

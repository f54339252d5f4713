// The one way store actions call the app: pending, then the error or a note,
// and answers that no longer matter dropped unseen.
import { describe, expect, it, vi } from 'vitest'
import type { EnrollmentStart, UserDetails } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { IDLE, runAction, withStatus, type ActionStatus } from '../../../src/renderer/src/store/action-status'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { latestOnly } from '../../../src/renderer/src/store/latest'
import { fakeApi } from './support/fake-api'

/** A promise and the function that settles it, for answers that arrive when a test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => (resolve = done))
  return { promise, resolve }
}

describe('runAction', () => {
  it('shows pending, then keeps the value and shows the success note', async () => {
    const shown: ActionStatus[] = []
    const kept: number[] = []
    const result = await runAction({ show: (s) => shown.push(s), send: async () => ({ ok: true, value: 7 }), keep: (v) => kept.push(v), success: (v) => `Got ${v}.` })
    expect(result).toEqual({ ok: true, value: 7 })
    expect(kept).toEqual([7])
    expect(shown).toEqual([
      { pending: true, error: null, success: null },
      { pending: false, error: null, success: 'Got 7.' }
    ])
  })

  it("shows the app's message on failure and returns the error for its code", async () => {
    const shown: ActionStatus[] = []
    const result = await runAction({ show: (s) => shown.push(s), send: async (): Promise<Result<number>> => ({ ok: false, error: { code: 'INVALID_CODE', message: 'That code is not correct.' } }) })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CODE' } })
    expect(shown.at(-1)).toEqual({ pending: false, error: 'That code is not correct.', success: null })
  })

  it('drops an answer that is no longer current: nothing kept, nothing shown', async () => {
    const lists = latestOnly()
    const ticket = lists.next()
    const answer = deferred<Result<number>>()
    const show = vi.fn()
    const keep = vi.fn()
    const running = runAction({ show, send: () => answer.promise, keep, isCurrent: ticket.isLatest })
    lists.next()
    answer.resolve({ ok: true, value: 1 })
    await expect(running).resolves.toBeNull()
    expect(keep).not.toHaveBeenCalled()
    expect(show).toHaveBeenCalledTimes(1)
  })
})

describe('withStatus', () => {
  it('clears the other notes when an action starts, but not another pending one; an outcome changes only its own', () => {
    const done = { pending: false, error: null, success: 'Saved.' }
    const busy = { pending: true, error: null, success: null }
    const started = withStatus({ profile: done, unlock: busy, reset: IDLE }, 'reset', busy)
    expect(started).toEqual({ profile: IDLE, unlock: busy, reset: busy })
    expect(withStatus(started, 'reset', done)).toEqual({ profile: IDLE, unlock: busy, reset: done })
  })
})

describe('latest answers in the slices', () => {
  it('Activate 2FA shows only the newest pending secret, however the answers arrive', async () => {
    const answers: ReturnType<typeof deferred<Result<EnrollmentStart>>>[] = []
    const startEnrollment = vi.fn(() => {
      const answer = deferred<Result<EnrollmentStart>>()
      answers.push(answer)
      return answer.promise
    })
    const store = createAppStore(fakeApi({ startEnrollment }))
    const { begin } = store.getState().enrollment.actions
    const first = begin()
    const second = begin()
    const secret = (accountName: string) => ({ accountName }) as EnrollmentStart
    answers[1]!.resolve({ ok: true, value: secret('newest') })
    answers[0]!.resolve({ ok: true, value: secret('older') })
    await Promise.all([first, second])
    expect(store.getState().enrollment).toMatchObject({ loading: false, start: { accountName: 'newest' } })
  })

  it('User details drop an answer for the user opened before', async () => {
    const answers = new Map<number, ReturnType<typeof deferred<Result<UserDetails>>>>()
    const getUser = vi.fn(({ userId }: { userId: number }) => {
      const answer = deferred<Result<UserDetails>>()
      answers.set(userId, answer)
      return answer.promise
    })
    const store = createAppStore(fakeApi({ getUser }))
    const { load } = store.getState().userDetails.actions
    const maria = load(1)
    const tom = load(2)
    answers.get(2)!.resolve({ ok: true, value: { id: 2, name: 'Tom' } as UserDetails })
    answers.get(1)!.resolve({ ok: true, value: { id: 1, name: 'Maria' } as UserDetails })
    await Promise.all([maria, tom])
    expect(store.getState().userDetails).toMatchObject({ loading: false, user: { id: 2, name: 'Tom' } })
  })
})

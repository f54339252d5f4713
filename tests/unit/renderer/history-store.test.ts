// Account > Security's trend in the store over a fake window.api: loaded with
// the screen, fetched again in place when the counts changed, and an answer
// overtaken by a later one dropped.
import { describe, expect, it, vi } from 'vitest'
import type { TwoFactorHistory } from '../../../src/shared/contract/history'
import type { Result } from '../../../src/shared/errors'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const history = (active: number): TwoFactorHistory => ({
  from: '2026-08-30',
  to: '2026-11-27',
  days: 90,
  points: [{ day: '2026-11-27', total: 3, active, pending: 0, inactive: 3 - active, overdue: 0 }],
  events: [],
  deadlines: []
})

describe('the trend in the store', () => {
  it('loads, says when it fails, and refreshes in place only once loaded', async () => {
    const answers = [ok(history(1)), { ok: false as const, error: { code: 'INTERNAL' as const, message: 'The directory is busy.' } }, ok(history(2))]
    const getTwoFactorHistory = vi.fn(async () => answers.shift() ?? ok(history(3)))
    const store = createAppStore(fakeApi({ getTwoFactorHistory: getTwoFactorHistory as never }))
    const { load, refresh } = store.getState().history.actions

    await load()
    expect(store.getState().history).toMatchObject({ loading: false, loadError: null, history: history(1) })
    // A failed refresh keeps what the screen shows.
    await refresh()
    expect(store.getState().history.history).toEqual(history(1))
    await refresh()
    expect(store.getState().history.history).toEqual(history(2))
    expect(getTwoFactorHistory).toHaveBeenCalledWith({})
  })

  it('does not refresh before the first load, and drops an answer a later one overtook', async () => {
    let release: (value: Result<TwoFactorHistory>) => void = () => {}
    const slow = new Promise<Result<TwoFactorHistory>>((resolve) => (release = resolve))
    const getTwoFactorHistory = vi.fn().mockReturnValueOnce(Promise.resolve(ok(history(1)))).mockReturnValueOnce(slow).mockReturnValueOnce(Promise.resolve(ok(history(3))))
    const store = createAppStore(fakeApi({ getTwoFactorHistory: getTwoFactorHistory as never }))
    const { load, refresh } = store.getState().history.actions
    await refresh()
    expect(getTwoFactorHistory).not.toHaveBeenCalled()

    await load()
    const overtaken = refresh()
    await refresh()
    release(ok(history(2)))
    await overtaken
    expect(store.getState().history.history).toEqual(history(3))
  })
})

// The Users selection in the store (issue 13) over a fake window.api: rows
// ticked one by one and by range, "Select all N matching this filter" (the
// core's count) less the rows unticked, the selection sent as the core takes
// it, the confirmation's counts, and after the change the message, a cleared
// selection and the rows fetched again.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BulkCounts } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/errors'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { bulkFilterOf, isSelected, selectedCount, selectionOf } from '../../../src/renderer/src/store/slices/bulk'
import { fakeApi } from './support/fake-api'

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const counts = (changes: Partial<BulkCounts>): BulkCounts => ({
  action: 'enforce',
  selected: 0,
  willChange: 0,
  alreadyInThatState: 0,
  administratorsUnchanged: 0,
  blockedSelf: 0,
  blockedLastAdmin: 0,
  willHaveToActivate: 0,
  wouldNoLongerHaveTo: 0,
  summary: '',
  ...changes
})

let store: AppStore | undefined
afterEach(() => store?.getState().changes.actions.stop())

describe('the Users selection in the store', () => {
  it('ticks rows one by one and by range, and sends them as ids', () => {
    store = createAppStore(fakeApi({}))
    const { toggle } = store.getState().bulk.actions
    toggle(10, 0, null)
    toggle(14, 4, [10, 11, 12, 13, 14])
    expect(selectedCount(store.getState().bulk)).toBe(5)
    toggle(12, 2, null)
    expect(isSelected(store.getState().bulk, 12)).toBe(false)
    expect(selectionOf(store.getState().bulk)).toEqual({ userIds: [10, 11, 13, 14] })
  })

  it('selects all matching the filter with the core\'s count, less the rows unticked, then applies with the confirmed count', async () => {
    const preview = vi.fn(async (input: { action: string }) => ok(counts({ action: input.action as BulkCounts['action'], selected: 1234, willChange: 1233, summary: '1,233 users will have to activate 2FA at their next login.' })))
    const apply = vi.fn(async () => ok(counts({ selected: 1233, willChange: 1233, summary: '1,233 users now have to activate 2FA at their next login.' })))
    const listUsers = vi.fn(async () => ok({ users: [], nextCursor: null, total: 0, countPending: false, start: 0 }))
    const countUsers = vi.fn(async () => ok({ total: 1234 }))
    store = createAppStore(fakeApi({ previewBulkChange: preview as never, applyBulkChange: apply as never, listUsers: listUsers as never, countUsers: countUsers as never }))
    await store.getState().users.actions.setStatus('inactive')
    await store.getState().bulk.actions.selectAllMatching()
    // The number is the list's exact count (countUsers), not a preview of some action.
    expect(countUsers).toHaveBeenLastCalledWith({ status: 'inactive' })
    expect(preview).not.toHaveBeenCalled()
    expect(selectedCount(store.getState().bulk)).toBe(1234)
    store.getState().bulk.actions.toggle(7, 0, null)
    expect(selectedCount(store.getState().bulk)).toBe(1233)
    expect(selectionOf(store.getState().bulk)).toEqual({ filter: { status: 'inactive' }, exceptUserIds: [7] })

    await store.getState().bulk.actions.ask('enforce')
    expect(store.getState().bulk.confirm?.preview?.summary).toBe('1,233 users will have to activate 2FA at their next login.')
    const listed = listUsers.mock.calls.length
    await store.getState().bulk.actions.apply()
    expect(apply).toHaveBeenCalledWith({ selection: { filter: { status: 'inactive' }, exceptUserIds: [7] }, action: 'enforce', expectedChanges: 1233 })
    expect(store.getState().bulk).toMatchObject({ confirm: null, matching: null, message: '1,233 users now have to activate 2FA at their next login.' })
    expect(selectedCount(store.getState().bulk)).toBe(0)
    expect(listUsers.mock.calls.length).toBeGreaterThan(listed)
  })

  it('asks for the count again when it was cancelled while the list is unchanged, and not once the list changed', async () => {
    const listUsers = vi.fn(async () => ok({ users: [], nextCursor: null, total: 0, countPending: false, start: 0 }))
    const answers: Result<{ total: number }>[] = [{ ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } }, ok({ total: 77 })]
    const countUsers = vi.fn(async () => answers.shift() ?? ok({ total: -1 }))
    store = createAppStore(fakeApi({ listUsers: listUsers as never, countUsers: countUsers as never }))
    await store.getState().users.actions.setStatus('inactive')
    await store.getState().bulk.actions.selectAllMatching()
    expect(countUsers).toHaveBeenCalledTimes(2)
    expect(store.getState().bulk).toMatchObject({ counting: false, error: null })
    expect(selectedCount(store.getState().bulk)).toBe(77)

    store.getState().bulk.actions.clear()
    countUsers.mockClear()
    countUsers.mockImplementationOnce(async () => {
      // The filter changes while the count runs, and the count is cancelled for it.
      void store!.getState().users.actions.setStatus('active')
      return { ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } }
    })
    await store.getState().bulk.actions.selectAllMatching()
    expect(countUsers).toHaveBeenCalledTimes(1)
    expect(store.getState().bulk).toMatchObject({ counting: false, error: null, matching: null })
  })

  it('keeps the confirmation open with the core\'s error when the change is refused', async () => {
    const apply = vi.fn(async (): Promise<Result<BulkCounts>> => ({ ok: false, error: { code: 'VALIDATION', message: 'The selection changed since the confirmation.', field: 'expectedChanges' } }))
    store = createAppStore(fakeApi({ previewBulkChange: (async () => ok(counts({ selected: 2, willChange: 2 }))) as never, applyBulkChange: apply as never }))
    store.getState().bulk.actions.toggle(1, 0, null)
    await store.getState().bulk.actions.ask('disable')
    await store.getState().bulk.actions.apply()
    expect(store.getState().bulk.confirm).toMatchObject({ action: 'disable', pending: false, error: 'The selection changed since the confirmation.' })
    expect(selectedCount(store.getState().bulk)).toBe(1)
  })

  it('takes every filter of the list, and only those', () => {
    expect(
      bulkFilterOf({ query: ' ann ', status: null, groupId: 3, role: 'user', locked: true, disabled: null, enforcementSource: null, source: 'csv', fewRecoveryCodes: false, sort: 'email', direction: 'desc' })
    ).toEqual({ query: 'ann', groupId: 3, role: 'user', locked: true, source: 'csv' })
  })
})

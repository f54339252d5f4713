// Account > Groups in the store over a fake window.api: Create group with the
// refused field marked; Add members as a dry run that changes nothing, then
// for real; an unknown email marks the field; the members held never grow
// past MAX_MEMBER_ROWS however often "Load more" is pressed, and a refresh
// fetches the pages held again in place; a group deleted elsewhere is said so.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GroupMembersInput, GroupMembersResult, ListUsersInput } from '../../../src/shared/contract'
import type { EnforcementPreview, GroupSummary, UserPage, UserRow } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { MAX_MEMBER_ROWS, MEMBERS_PAGE_SIZE } from '../../../src/renderer/src/store/slices/group-members'
import { fakeApi } from './support/fake-api'

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const NO_EFFECT: EnforcementPreview = { willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }
const group = (changes: Partial<GroupSummary> = {}): GroupSummary => ({
  id: 7,
  name: 'Sales',
  source: 'local',
  members: 0,
  enforced: false,
  deadline: null,
  enforcedBy: null,
  enforcedAt: null,
  exemptFromPolicy: false,
  distribution: { total: 0, active: 0, pending: 0, inactive: 0, overdue: 0 },
  ...changes
})
const user = (id: number): UserRow =>
  ({ id, name: `User ${id}`, email: `user${id}@example.com`, role: 'user', disabled: false, status: 'inactive', enforcement: 'inherit', enforced: false, enforcementSource: 'none', deadline: null, overdue: false, groups: ['Sales'], locked: false, activeSince: null, lastTwoFactorLoginAt: null, source: 'local' }) as UserRow

let store: AppStore | undefined
afterEach(() => store?.getState().changes.actions.stop())

/** A group of `size` members, listed by cursor (the cursor is the next id). */
function fakeGroups(size: number) {
  let members = size
  let exists = true
  const listUsers = vi.fn(async (input: ListUsersInput): Promise<Result<UserPage>> => {
    const from = input.cursor === undefined ? 1 : Number(input.cursor)
    const to = Math.min(members, from + (input.limit ?? 50) - 1)
    const users = Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => user(from + index))
    return ok({ users, nextCursor: to < members ? String(to + 1) : null, total: members, countPending: false })
  })
  const getGroup = vi.fn(async () => (exists ? ok(group({ members })) : { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'That group does not exist (any more). Reload the list.' } }))
  const addGroupMembers = vi.fn(async (input: GroupMembersInput): Promise<Result<GroupMembersResult>> => {
    if (input.emails.includes('nobody@example.com')) return { ok: false, error: { code: 'NOT_FOUND', message: 'No user with the email nobody@example.com. Nothing was changed.', field: 'emails' } }
    if (input.dryRun !== true) members += input.emails.length
    return ok({ changed: input.emails.length, unchanged: 0, effect: { ...NO_EFFECT, willHaveToActivate: input.emails.length }, group: group({ members }) })
  })
  return {
    listUsers,
    getGroup,
    addGroupMembers,
    getSecurityOverview: vi.fn(async () => ok({ distribution: { total: 0, active: 0, pending: 0, inactive: 0, overdue: 0 }, enforcedForAll: false, enforcedSince: null, enforcedBy: null, deadline: null, exemptionGroup: null, wouldBecomePending: 0, wouldBecomeInactive: 0 })),
    listGroups: vi.fn(async () => ok([group()])),
    createGroup: vi.fn(async ({ name }: { name: string }): Promise<Result<GroupSummary>> =>
      name === 'Sales' ? { ok: false, error: { code: 'GROUP_EXISTS', message: 'A group named Sales already exists. Choose another name.', field: 'name' } } : ok(group({ id: 8, name }))
    ),
    remove: () => (exists = false)
  }
}

describe('Account > Groups in the store', () => {
  it('creates a group; a name taken is refused with the field marked', async () => {
    const api = fakeGroups(0)
    store = createAppStore(fakeApi(api))
    await store.getState().groups.actions.open()
    expect(await store.getState().groups.actions.create('Sales')).toBeNull()
    expect(store.getState().groups).toMatchObject({ invalidField: 'name', create: { error: 'A group named Sales already exists. Choose another name.' } })
    expect(await store.getState().groups.actions.create('Support')).toMatchObject({ name: 'Support' })
    expect(store.getState().groups.groups.map((g) => g.name)).toEqual(['Sales', 'Support'])
    expect(store.getState().groups.invalidField).toBeNull()
  })

  it('adds members after a dry run that changes nothing; an unknown email marks the field', async () => {
    const api = fakeGroups(2)
    store = createAppStore(fakeApi(api))
    await store.getState().groupDetails.actions.open(7)
    const details = () => store!.getState().groupDetails

    await details().actions.checkAdd(['nobody@example.com'])
    expect(details()).toMatchObject({ checked: null, invalidField: 'emails', check: { error: 'No user with the email nobody@example.com. Nothing was changed.' } })

    await details().actions.checkAdd(['user3@example.com'])
    expect(api.addGroupMembers).toHaveBeenLastCalledWith({ groupId: 7, emails: ['user3@example.com'], dryRun: true })
    expect(details().checked).toMatchObject({ kind: 'add', result: { changed: 1, effect: { willHaveToActivate: 1 } } })
    expect(details().group?.members).toBe(2)

    expect(await details().actions.addMembers(['user3@example.com'])).toBe(true)
    expect(api.addGroupMembers).toHaveBeenLastCalledWith({ groupId: 7, emails: ['user3@example.com'] })
    expect(details()).toMatchObject({ checked: null, group: { members: 3 }, status: { addMembers: { success: 'Added 1 member to Sales. 1 now has to activate 2FA at their next login.' } } })
    expect(store.getState().groupMembers.total).toBe(3)
  })

  it(`holds at most ${MAX_MEMBER_ROWS} members however far "Load more" goes, and refreshes the pages held in place`, async () => {
    const api = fakeGroups(2_500)
    store = createAppStore(fakeApi(api))
    const members = () => store!.getState().groupMembers
    await members().actions.open(7)
    expect(members().pages.flatMap((page) => page.rows)).toHaveLength(MEMBERS_PAGE_SIZE)
    for (let page = 1; page < 14; page++) await members().actions.loadMore()
    const held = members().pages.flatMap((page) => page.rows)
    expect(held).toHaveLength(MAX_MEMBER_ROWS)
    expect(members().skipped).toBe(400)
    expect(held[0]?.id).toBe(401)
    expect(members().nextCursor).toBe('1401')

    api.listUsers.mockClear()
    await members().actions.refresh()
    expect(api.listUsers).toHaveBeenCalledTimes(MAX_MEMBER_ROWS / MEMBERS_PAGE_SIZE)
    expect(api.listUsers.mock.calls[0]?.[0]).toMatchObject({ groupId: 7, cursor: '401' })
    expect(members().pages.flatMap((page) => page.rows).map((row) => row.id)).toEqual(held.map((row) => row.id))

    await members().actions.backToStart()
    expect(members()).toMatchObject({ skipped: 0, nextCursor: String(MEMBERS_PAGE_SIZE + 1) })
  })

  it('says so when the group was deleted elsewhere', async () => {
    const api = fakeGroups(1)
    store = createAppStore(fakeApi(api))
    await store.getState().groupDetails.actions.open(7)
    api.remove()
    await store.getState().groupDetails.actions.refresh()
    expect(store.getState().groupDetails).toMatchObject({ group: null, loadError: 'That group does not exist (any more). Reload the list.' })
  })
})

// Account > Groups: the list of groups with their members, enforcement and
// 2FA distribution, and Create group. One group's details, its members and
// what can be done to it are in group-details.ts and group-members.ts.
import type { GroupSummary } from '../../../../shared/domain'
import type { ApiError } from '../../../../shared/errors'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export interface GroupsSlice {
  groups: GroupSummary[]
  /** The first load answered: an empty list then means there is no group yet. */
  loaded: boolean
  loading: boolean
  loadError: string | null
  create: ActionStatus
  /** The Create group field the app refused, to mark and focus it. */
  invalidField: 'name' | null
  /** What an action on another screen has to say here once (a group deleted from its details). */
  notice: string | null

  actions: {
    open: () => Promise<void>
    /** Something changed elsewhere (the command line, another window, a sync): fetch the list again in place. */
    refresh: () => Promise<Followed>
    /** Resolves to the new group, or null when the app refused (the reason is in `create`). */
    create: (name: string) => Promise<GroupSummary | null>
    /** The Create group dialog opens or closes: what the last attempt said no longer applies. */
    resetCreate: () => void
    announce: (notice: string) => void
    /** The screen has kept the notice to show: the next visit shows none. */
    clearNotice: () => void
  }
}

function invalidFieldOf(error: ApiError): 'name' | null {
  return error.field === 'name' ? 'name' : null
}

const byName = (a: GroupSummary, b: GroupSummary) => a.name.localeCompare(b.name)

export const createGroupsSlice: SliceCreator<'groups'> = ({ set, get, call }) => {
  /** Each answer that sets the list takes a ticket: a refresh asked for before it is older, and dropped. */
  const writes = latestOnly()

  return {
    groups: [],
    loaded: false,
    loading: false,
    loadError: null,
    create: IDLE,
    invalidField: null,
    notice: null,

    actions: {
      open: async () => {
        if (!get().create.pending) set({ create: IDLE, invalidField: null })
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('listGroups', {}),
          keep: (groups) => {
            writes.next()
            set({ groups, loaded: true })
          }
        })
      },

      refresh: async () => {
        if (get().loading || get().create.pending) return false
        if (!get().loaded) return true
        const ticket = writes.current()
        const result = await call('listGroups', {})
        if (!ticket.isLatest() || get().create.pending) return false
        if (result.ok) set({ groups: result.value })
        return true
      },

      create: async (name) => {
        set({ invalidField: null })
        const result = await runAction({
          show: (create) => set({ create }),
          send: () => call('createGroup', { name }),
          keep: (group) => {
            writes.next()
            set((state) => ({ groups: [...state.groups.filter((g) => g.id !== group.id), group].sort(byName) }))
          },
          success: (group) => `${group.name} was created.`
        })
        if (result && !result.ok) set({ invalidField: invalidFieldOf(result.error) })
        return result?.ok ? result.value : null
      },

      resetCreate: () => set((state) => ({ invalidField: null, create: state.create.pending ? state.create : IDLE })),

      announce: (notice) => set({ notice }),

      clearNotice: () => {
        if (get().notice !== null) set({ notice: null })
      }
    }
  }
}

// The Users table's selection and what is done with it (issue 13): rows ticked
// one by one (a click, Shift+click for a range, Space on the focused row), or
// "Select all N matching this filter" (then the selection is the filter, less
// the rows unticked since: exact at any size, counted by the core). An action
// asks the core what it would change (previewBulkChange) for the confirmation,
// then applies it (applyBulkChange, which may ask "Confirm it's you" first).
// Copy instructions puts the core's text for the selection (or, from the
// Security page, for all users) on the clipboard.
import type { BulkAction, BulkCounts, BulkFilter, BulkSelection } from '../../../../shared/contract'
import type { SliceCreator } from '../app-state'
import { filterInput, overtaken, type UserFilter } from './users'

export interface BulkConfirmation {
  action: BulkAction
  /** The core's exact counts; null while they are asked for. */
  preview: BulkCounts | null
  pending: boolean
  error: string | null
}

export interface BulkSlice {
  /** Rows ticked one by one (when `matching` is null). */
  ids: ReadonlySet<number>
  /** "All N matching this filter": the filter, its exact count, and the rows unticked since. */
  matching: { filter: BulkFilter; total: number; except: ReadonlySet<number> } | null
  /** Counting "all matching" (the core reads the filter). */
  counting: boolean
  /** Where Shift+click ranges start: the row last ticked or unticked. */
  anchor: number | null
  confirm: BulkConfirmation | null
  /** What the last change did, in the core's words. */
  message: string | null
  error: string | null
  /** The text Copy instructions put on the clipboard (shown too, in case the clipboard refused it). */
  instructions: { text: string; users: number; copied: boolean; forAll: boolean } | null

  actions: {
    /** Ticks or unticks one row; with `range`, every loaded row from the anchor to this one takes its new state. */
    toggle: (userId: number, index: number, range: readonly number[] | null) => void
    /** The header checkbox: ticks (or unticks) the rows shown. */
    setRows: (userIds: readonly number[], selected: boolean) => void
    selectAllMatching: () => Promise<void>
    clear: () => void
    ask: (action: BulkAction) => Promise<void>
    cancel: () => void
    apply: () => Promise<void>
    /** Copy instructions for the selection, or (`forAll`) for all users. */
    copyInstructions: (forAll: boolean) => Promise<void>
    dismissMessage: () => void
  }
}

/** The Users list's filter as the core's bulk selection takes it: what countUsers is given (listUsers without order or paging). */
export function bulkFilterOf(filter: UserFilter): BulkFilter {
  return filterInput(filter)
}

export function selectedCount(state: Pick<BulkSlice, 'ids' | 'matching'>): number {
  return state.matching === null ? state.ids.size : state.matching.total - state.matching.except.size
}

export function isSelected(state: Pick<BulkSlice, 'ids' | 'matching'>, userId: number): boolean {
  return state.matching === null ? state.ids.has(userId) : !state.matching.except.has(userId)
}

export function selectionOf(state: Pick<BulkSlice, 'ids' | 'matching'>): BulkSelection {
  if (state.matching === null) return { userIds: [...state.ids] }
  return state.matching.except.size === 0 ? { filter: state.matching.filter } : { filter: state.matching.filter, exceptUserIds: [...state.matching.except] }
}

function withChanged(set: ReadonlySet<number>, userIds: readonly number[], present: boolean): Set<number> {
  const next = new Set(set)
  for (const id of userIds) {
    if (present) next.add(id)
    else next.delete(id)
  }
  return next
}

export const createBulkSlice: SliceCreator<'bulk'> = ({ set, get, app, call }) => {
  /** Whether the Users list still shows this filter (a count cancelled for it is asked again). */
  const sameFilter = (filter: BulkFilter): boolean => JSON.stringify(bulkFilterOf(app().users)) === JSON.stringify(filter)
  /** Ticks (selected = true) or unticks rows, whichever way the selection is held. */
  const mark = (userIds: readonly number[], selected: boolean) => {
    const { matching, ids } = get()
    if (matching === null) set({ ids: withChanged(ids, userIds, selected), message: null, error: null })
    else {
      const except = withChanged(matching.except, userIds, !selected)
      // Everything unticked again: back to nothing selected.
      set(except.size >= matching.total ? { matching: null, ids: new Set(), message: null } : { matching: { ...matching, except }, message: null, error: null })
    }
  }

  return {
    ids: new Set(),
    matching: null,
    counting: false,
    anchor: null,
    confirm: null,
    message: null,
    error: null,
    instructions: null,

    actions: {
      toggle: (userId, index, range) => {
        const state = get()
        const selected = !isSelected(state, userId)
        mark(range ?? [userId], selected)
        set({ anchor: index })
      },

      setRows: (userIds, selected) => mark(userIds, selected),

      selectAllMatching: async () => {
        const filter = bulkFilterOf(app().users)
        set({ counting: true, error: null, message: null })
        // The exact number of the list (countUsers: the same count the table shows, shared while it runs).
        let result = await call('countUsers', filter)
        for (let asked = 1; !result.ok && overtaken(result.error.code, asked) && sameFilter(filter); asked++) result = await call('countUsers', filter)
        if (!result.ok) {
          // A newer list replaced this one (CANCELLED): nothing to select from any more.
          set({ counting: false, error: result.error.code === 'CANCELLED' ? null : result.error.message })
          return
        }
        set({ counting: false, matching: { filter, total: result.value.total, except: new Set() }, ids: new Set() })
      },

      clear: () => set({ ids: new Set(), matching: null, anchor: null, error: null }),

      ask: async (action) => {
        const selection = selectionOf(get())
        set({ confirm: { action, preview: null, pending: true, error: null }, message: null, error: null })
        const result = await call('previewBulkChange', { selection, action })
        if (get().confirm?.action !== action) return
        set({ confirm: result.ok ? { action, preview: result.value, pending: false, error: null } : { action, preview: null, pending: false, error: result.error.message } })
      },

      cancel: () => set({ confirm: null }),

      apply: async () => {
        const confirm = get().confirm
        if (confirm === null || confirm.preview === null || confirm.pending) return
        set({ confirm: { ...confirm, pending: true, error: null } })
        const result = await call('applyBulkChange', { selection: selectionOf(get()), action: confirm.action, expectedChanges: confirm.preview.willChange })
        if (get().confirm === null) return
        if (!result.ok) {
          set({ confirm: { ...confirm, pending: false, error: result.error.message } })
          return
        }
        set({ confirm: null, message: result.value.summary, ids: new Set(), matching: null, anchor: null })
        // The rows in view and the count show the change at once.
        void app().users.actions.refresh()
      },

      copyInstructions: async (forAll) => {
        set({ message: null, error: null })
        const result = await call('bulkInstructions', forAll ? {} : { selection: selectionOf(get()) })
        if (!result.ok) {
          set({ error: result.error.message })
          return
        }
        let copied = true
        try {
          await navigator.clipboard.writeText(result.value.text)
        } catch {
          copied = false
        }
        set({ instructions: { text: result.value.text, users: result.value.users, copied, forAll } })
      },

      dismissMessage: () => set({ message: null, instructions: null })
    }
  }
}

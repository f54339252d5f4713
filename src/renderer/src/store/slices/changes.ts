// Screens that follow changes made elsewhere. While the signed-in shell shows
// and the window is visible, asks the core every CHANGE_POLL_MS for its change
// stamp; when it moved (a commit by this app, the command line, an import, a
// sync, the RADIUS service), the current screen fetches what it shows again,
// keeping its scroll position, its selection and any unsaved edit (each
// slice's `refresh`). Opening a screen always loads afresh on its own.
import type { SliceCreator } from '../app-state'
import { latestOnly, type Ticket } from '../latest'

/** How often an open window asks whether anything changed. */
export const CHANGE_POLL_MS = 1_500
/** After failed questions it asks less and less often, up to this: an app that does not answer is not asked 40 times a minute. */
export const MAX_CHANGE_POLL_MS = 15_000

/**
 * What a screen's `refresh` resolves to: whether it now shows what is no older than the change that asked for it
 * (fetched and shown, or nothing on screen to follow). False when it could not take the change now: its own load or
 * action was under way, or answered after the refresh asked (its answer was dropped). The stamp is then not taken
 * as seen, so the next question asks the screen again even when nothing changed since.
 */
export type Followed = boolean

export interface ChangesSlice {
  /** The last stamp the core gave (null before the first answer of a watch). */
  stamp: string | null

  actions: {
    /** The signed-in shell shows: start following changes (`visible`: whether the window is shown now). */
    start: (visible: boolean) => void
    /** The shell went away (signed out): stop asking. */
    stop: () => void
    /** The window was hidden or shown again: no questions while hidden, one at once when shown. */
    setVisible: (visible: boolean) => void
    /** Asks now, unless a question (or the refresh it led to) is still under way; then schedules the next. */
    check: () => Promise<void>
  }
}

export const createChangesSlice: SliceCreator<'changes'> = ({ set, get, app, call }) => {
  // Each start is one watch; a question still on its way when it stops is ignored.
  const watches = latestOnly()
  let watch: Ticket | null = null
  let visible = true
  let asking = false
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const delay = () => Math.min(MAX_CHANGE_POLL_MS, CHANGE_POLL_MS * 2 ** failures)

  const schedule = () => {
    clearTimeout(timer)
    timer = undefined
    if (watch === null || !visible) return
    timer = setTimeout(() => void get().actions.check(), delay())
  }

  /** What the current screen shows, fetched again in place. */
  const refreshCurrentScreen = (): Promise<Followed> => {
    const state = app()
    switch (state.nav.view.name) {
      case 'users':
        return state.users.actions.refresh()
      case 'user-details':
        return state.userDetails.actions.refresh()
      case 'security':
        return state.security.actions.refresh()
      case 'directory-sync':
        return state.directorySync.actions.refresh()
      case 'radius-clients':
        return state.radiusClients.actions.refresh()
      case 'groups':
        return state.groups.actions.refresh()
      case 'group-details':
        return state.groupDetails.actions.refresh()
      case 'audit':
        return state.audit.actions.refresh()
      case 'my-account':
        return state.myAccount.actions.refresh()
      case 'activate-two-factor':
        // A secret being set up: nothing on this screen comes from the directory.
        return Promise.resolve(true)
    }
  }

  return {
    stamp: null,

    actions: {
      start: (isVisible) => {
        watch = watches.next()
        visible = isVisible
        failures = 0
        set({ stamp: null })
        // The first answer is the baseline: asked before the screen's own first load, so nothing falls between.
        void get().actions.check()
      },

      stop: () => {
        watches.next()
        watch = null
        clearTimeout(timer)
        timer = undefined
      },

      setVisible: (isVisible) => {
        visible = isVisible
        if (!isVisible) {
          clearTimeout(timer)
          timer = undefined
        } else if (!asking) void get().actions.check()
      },

      check: async () => {
        const current = watch
        if (current === null || !visible || asking) return
        asking = true
        clearTimeout(timer)
        try {
          const result = await call('getChangeStamp', {})
          if (!current.isLatest()) return
          if (!result.ok) {
            // Not shown: the screen's own calls report what matters, and a lost session signs out (api/caller.ts).
            failures = Math.min(failures + 1, 10)
            return
          }
          failures = 0
          const previous = get().stamp
          const stamp = result.value.stamp
          if (previous === null || previous === stamp) {
            set({ stamp })
            return
          }
          // Seen only once the screen took it: a screen busy with its own load or action is asked again next time.
          const followed = await refreshCurrentScreen()
          if (followed && current.isLatest()) set({ stamp })
        } finally {
          asking = false
          // A watch started while this question was on its way has no baseline yet: ask for it now.
          if (!current.isLatest() && watch !== null) void get().actions.check()
          else schedule()
        }
      }
    }
  }
}

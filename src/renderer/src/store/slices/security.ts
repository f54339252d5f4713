// Account > Security: the 2FA distribution and enforcement for all users.
import type { EnforcementPreview, SecurityOverview } from '../../../../shared/domain'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export interface SecuritySlice {
  overview: SecurityOverview | null
  loading: boolean
  loadError: string | null
  change: ActionStatus
  /** Setting the idle timeout (its own note: it is not an enforcement change). */
  idleTimeout: ActionStatus

  actions: {
    load: () => Promise<void>
    /** The directory changed: fetch the counts again, without showing a load. */
    refresh: () => Promise<Followed>
    /** Enforces for all users with `graceDays` to activate (0: at the next login); when enforced already, moves the deadline. */
    enforceForAllUsers: (graceDays?: number) => Promise<boolean>
    /** Exact counts of what enforcing with `graceDays` (or revoking) would change, for the confirmation; null when it could not be asked. */
    preview: (graceDays: number | null) => Promise<EnforcementPreview | null>
    revokeEnforcement: () => Promise<boolean>
    clearChange: () => void
    /** Sets the minutes of inactivity after which sessions end (5 to 60); resolves to whether it was set. */
    setIdleTimeout: (minutes: number) => Promise<boolean>
    clearIdleTimeout: () => void
  }
}

export const createSecuritySlice: SliceCreator<'security'> = ({ set, get, app, call }) => {
  /** Each answer that sets the overview takes a ticket: a refresh asked for before it is older, and dropped. */
  const writes = latestOnly()
  const keepOverview = (overview: SecurityOverview) => {
    writes.next()
    set({ overview })
  }
  const change = async (method: 'enforceForAllUsers' | 'revokeEnforcement', success: string, graceDays?: number) => {
    const result = await runAction({
      show: (change) => set({ change }),
      send: () => (method === 'enforceForAllUsers' && graceDays !== undefined ? call(method, { graceDays }) : call(method, {})),
      keep: keepOverview,
      success: () => success
    })
    return result?.ok === true
  }

  return {
    overview: null,
    loading: false,
    loadError: null,
    change: IDLE,
    idleTimeout: IDLE,

    actions: {
      load: async () => {
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('getSecurityOverview', {}),
          keep: keepOverview
        })
      },

      refresh: async () => {
        // A load or a change under way brings the counts as they are.
        if (get().loading || get().change.pending) return false
        if (get().overview === null) return true
        const ticket = writes.current()
        const result = await call('getSecurityOverview', {})
        if (!ticket.isLatest() || get().change.pending) return false
        if (result.ok) set({ overview: result.value })
        return true
      },

      enforceForAllUsers: (graceDays) =>
        change(
          'enforceForAllUsers',
          get().overview?.enforcedForAll
            ? 'The activation deadline was changed for every user the enforcement covers.'
            : graceDays
              ? `2FA is now enforced for all users. Users without 2FA have ${graceDays === 1 ? '1 day' : `${graceDays} days`} to activate it.`
              : '2FA is now enforced for all users. Users without 2FA have to activate it at their next login.',
          graceDays
        ),

      preview: async (graceDays) => {
        const result = await call('previewEnforcement', graceDays === null ? { target: { kind: 'all' }, revoke: true } : { target: { kind: 'all' }, graceDays })
        return result.ok ? result.value : null
      },
      revokeEnforcement: () => change('revokeEnforcement', 'Enforcement for all users was revoked.'),

      clearChange: () => set({ change: IDLE }),

      setIdleTimeout: async (minutes) => {
        const result = await runAction({
          show: (idleTimeout) => set({ idleTimeout }),
          send: () => call('setIdleTimeout', { minutes }),
          // This screen's own timer follows at once (with the app's answer of what it applies).
          keep: () => void app().session.actions.staySignedIn(),
          success: ({ idleTimeoutMinutes }) => `Sessions now end after ${idleTimeoutMinutes} minutes of inactivity.`
        })
        return result?.ok === true
      },

      clearIdleTimeout: () => set({ idleTimeout: IDLE })
    }
  }
}

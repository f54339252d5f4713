// My account: own 2FA status, deactivation, new recovery codes, password.
import type { MyAccount } from '../../../../shared/domain'
import type { Result } from '../../../../shared/errors'
import { IDLE, runAction, succeeded, withStatus, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export type MyAccountAction = 'deactivate' | 'regenerate' | 'password'

export interface MyAccountSlice {
  account: MyAccount | null
  loading: boolean
  loadError: string | null
  actionStatus: Record<MyAccountAction, ActionStatus>
  /** New recovery codes, shown once until the person continues. */
  newRecoveryCodes: string[] | null
  /** "Regenerate recovery codes?" to open as soon as My account shows (the recovery-code notice asked for it). */
  regenerateRequested: boolean

  actions: {
    /** keepMessages: reload after an action without clearing its success note. */
    load: (options?: { keepMessages?: boolean }) => Promise<void>
    /** The account changed elsewhere (an administrator enforced 2FA, say): fetch it again, keeping the notes. */
    refresh: () => Promise<Followed>
    deactivate: (code: string) => Promise<boolean>
    regenerateRecoveryCodes: (code: string) => Promise<boolean>
    dismissRecoveryCodes: () => void
    /** Opens My account with "Regenerate recovery codes?" (the notice after a sign-in with a recovery code). */
    requestRegenerate: () => void
    /** My account opened the requested prompt: the request is done. */
    regenerateOpened: () => void
    changePassword: (currentPassword: string, newPassword: string) => Promise<boolean>
    clearAction: (action: MyAccountAction) => void
  }
}

const NO_ACTIONS: Record<MyAccountAction, ActionStatus> = { deactivate: IDLE, regenerate: IDLE, password: IDLE }

export const createMyAccountSlice: SliceCreator<'myAccount'> = ({ set, get, app, call }) => {
  /** Each answer that sets the account takes a ticket: a refresh asked for before it is older, and dropped. */
  const writes = latestOnly()
  const keepAccount = (account: MyAccount) => {
    writes.next()
    set({ account })
  }
  const run = async <T>(action: MyAccountAction, send: () => Promise<Result<T>>, options: { keep?: (value: T) => void; success?: string } = {}) => {
    const result = await runAction({
      show: (status) => set((state) => ({ actionStatus: withStatus(state.actionStatus, action, status) })),
      send,
      keep: options.keep,
      success: () => options.success ?? null
    })
    return result?.ok === true
  }

  return {
    account: null,
    loading: false,
    loadError: null,
    actionStatus: NO_ACTIONS,
    newRecoveryCodes: null,
    regenerateRequested: false,

    actions: {
      load: async (options) => {
        if (!options?.keepMessages) set({ actionStatus: NO_ACTIONS })
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('getMyAccount', {}),
          keep: keepAccount
        })
      },

      refresh: async () => {
        const pending = () => get().loading || Object.values(get().actionStatus).some((status) => status.pending)
        if (pending()) return false
        if (get().account === null) return true
        const ticket = writes.current()
        const result = await call('getMyAccount', {})
        if (!ticket.isLatest() || pending()) return false
        if (result.ok) set({ account: result.value })
        return true
      },

      deactivate: async (code) => {
        const send = async () => {
          const answer = await call('deactivateMyTwoFactor', { code })
          // Refused (2FA enforced meanwhile, say): the account as it is now, set before the refusal shows, so the
          // screen never says why beside a Deactivate button that is still offered.
          if (!answer.ok) {
            const account = await call('getMyAccount', {})
            if (account.ok) keepAccount(account.value)
          }
          return answer
        }
        return run('deactivate', send, { keep: keepAccount, success: '2FA was deactivated for your account.' })
      },

      regenerateRecoveryCodes: (code) =>
        run('regenerate', () => call('regenerateRecoveryCodes', { code }), { keep: ({ recoveryCodes }) => set({ newRecoveryCodes: recoveryCodes }) }),

      dismissRecoveryCodes: () => {
        set({ newRecoveryCodes: null, actionStatus: { ...NO_ACTIONS, regenerate: succeeded('New recovery codes are active. The old ones no longer work.') } })
        void get().actions.load({ keepMessages: true })
      },

      requestRegenerate: () => {
        set({ regenerateRequested: true })
        app().nav.actions.navigate({ name: 'my-account' })
      },

      regenerateOpened: () => set({ regenerateRequested: false }),

      changePassword: (currentPassword, newPassword) => run('password', () => call('changePassword', { currentPassword, newPassword }), { success: 'Your password was changed.' }),

      clearAction: (action) => set((state) => ({ actionStatus: { ...state.actionStatus, [action]: IDLE } }))
    }
  }
}

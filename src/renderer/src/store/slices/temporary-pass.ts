// Temporary access passes: an administrator issues one on User details (the
// pass is kept here only while its dialog shows it, once) or revokes it; the
// person signed in with one sets their first password here.
import type { TemporaryPassStatus } from '../../../../shared/domain'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'

export interface IssuedPass {
  pass: string
  status: TemporaryPassStatus
  /** Whose it is, for the dialog that shows it. */
  name: string
}

export interface TemporaryPassSlice {
  /** The pass just issued, shown once; forgotten when its dialog closes or the session ends. */
  issued: IssuedPass | null
  issueStatus: ActionStatus
  revokeStatus: ActionStatus
  firstPasswordStatus: ActionStatus

  actions: {
    issue: (userId: number, hours: number, singleUse: boolean) => Promise<boolean>
    revoke: (userId: number) => Promise<boolean>
    /** The pass's dialog closed: the pass is gone from the screen for good. */
    dismiss: () => void
    /** In a session opened with a pass: the person's first password. */
    setFirstPassword: (password: string) => Promise<boolean>
    clear: () => void
  }
}

export const createTemporaryPassSlice: SliceCreator<'temporaryPass'> = ({ set, app, call }) => ({
  issued: null,
  issueStatus: IDLE,
  revokeStatus: IDLE,
  firstPasswordStatus: IDLE,

  actions: {
    issue: async (userId, hours, singleUse) => {
      const result = await runAction({
        show: (issueStatus) => set({ issueStatus }),
        send: () => call('issueTemporaryPass', { userId, hours, singleUse }),
        keep: ({ pass, status, user }) => set({ issued: { pass, status, name: user.name } })
      })
      // User details show the pass as active now (never the pass itself).
      if (result?.ok) void app().userDetails.actions.refresh()
      return result?.ok === true
    },

    revoke: async (userId) => {
      const result = await runAction({
        show: (revokeStatus) => set({ revokeStatus }),
        send: () => call('revokeTemporaryPass', { userId }),
        success: (user) => `The temporary access pass of ${user.name} was revoked.`
      })
      if (result?.ok) void app().userDetails.actions.refresh()
      return result?.ok === true
    },

    dismiss: () => set({ issued: null, issueStatus: IDLE }),

    setFirstPassword: async (password) => {
      const result = await runAction({
        show: (firstPasswordStatus) => set({ firstPasswordStatus }),
        send: () => call('setFirstPassword', { password }),
        keep: (step) => app().session.actions.applyStep(step)
      })
      return result?.ok === true
    },

    clear: () => set({ issued: null, issueStatus: IDLE, revokeStatus: IDLE, firstPasswordStatus: IDLE })
  }
})

// The renderer's one store, made of slices (one file each, under slices/). This
// is the one place where they are tied together: which slice hears of a lost
// session, which asks "Confirm it's you", and what a sign-out closes. main.tsx
// creates it over window.api; tests create fresh ones over a fake API.
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AdminApi } from '../../../shared/contract'
import { createCaller } from '../api/caller'
import type { AppState, SliceContext, SliceName } from './app-state'
import { createAuditSlice } from './slices/audit'
import { createBulkSlice } from './slices/bulk'
import { createChangesSlice } from './slices/changes'
import { createDirectorySyncSlice } from './slices/directory-sync'
import { createEnrollmentSlice } from './slices/enrollment'
import { createExportsSlice } from './slices/exports'
import { createGroupDetailsSlice } from './slices/group-details'
import { createGroupMembersSlice } from './slices/group-members'
import { createGroupsSlice } from './slices/groups'
import { createInPersonSlice } from './slices/in-person'
import { createHistorySlice } from './slices/history'
import { createMyAccountSlice } from './slices/my-account'
import { createNavSlice } from './slices/nav'
import { createRadiusClientsSlice } from './slices/radius-clients'
import { createReauthSlice } from './slices/reauth'
import { createSecuritySlice } from './slices/security'
import { createSessionSlice } from './slices/session'
import { createTemporaryPassSlice } from './slices/temporary-pass'
import { createUserDetailsSlice } from './slices/user-details'
import { createUserImportSlice } from './slices/user-import'
import { createUsersSlice } from './slices/users'

export type AppStore = StoreApi<AppState>

export interface AppStoreOptions {
  /** How a finished export reaches the person in this transport: the browser preview downloads it. */
  download?: (url: string) => void
}

export function createAppStore(api: AdminApi, options: AppStoreOptions = {}): AppStore {
  const store = createStore<AppState>()((set, get) => {
    const call = createCaller(api, {
      onSessionLost: (error) => get().session.actions.sessionLost(error),
      confirmIdentity: (error) => get().reauth.actions.request(error)
    })
    const context = <K extends SliceName>(key: K): SliceContext<K> => ({
      set: (patch) => set((state) => ({ [key]: { ...state[key], ...(typeof patch === 'function' ? patch(state[key]) : patch) } }) as Partial<AppState>),
      get: () => get()[key],
      app: get,
      call
    })
    return {
      session: createSessionSlice(context('session')),
      nav: createNavSlice(context('nav')),
      reauth: createReauthSlice(context('reauth')),
      users: createUsersSlice(context('users')),
      userDetails: createUserDetailsSlice(context('userDetails')),
      security: createSecuritySlice(context('security')),
      history: createHistorySlice(context('history')),
      audit: createAuditSlice(context('audit')),
      myAccount: createMyAccountSlice(context('myAccount')),
      enrollment: createEnrollmentSlice(context('enrollment')),
      temporaryPass: createTemporaryPassSlice(context('temporaryPass')),
      inPerson: createInPersonSlice(context('inPerson')),
      changes: createChangesSlice(context('changes')),
      exports: createExportsSlice(options.download)(context('exports')),
      userImport: createUserImportSlice(context('userImport')),
      directorySync: createDirectorySyncSlice(context('directorySync')),
      radiusClients: createRadiusClientsSlice(context('radiusClients')),
      groups: createGroupsSlice(context('groups')),
      groupDetails: createGroupDetailsSlice(context('groupDetails')),
      groupMembers: createGroupMembersSlice(context('groupMembers')),
      bulk: createBulkSlice(context('bulk'))
    }
  })

  let wasSignedIn = false
  // Signed out while "Confirm it's you" is open (idle timeout, expired elsewhere): nothing is retried.
  store.subscribe((state) => {
    if (state.session.phase !== 'signed-in' && state.reauth.open) state.reauth.actions.cancel()
    // Nor does the next person at this window see where the last one's exports went.
    // A pass shown once is not kept past the session that issued it (a sign-out, a hand-over at the desk).
    if (state.session.phase !== 'signed-in' && state.temporaryPass.issued !== null) state.temporaryPass.actions.dismiss()
    // Nor a selection of users, nor the instructions copied for them (at the moment of signing out).
    const signedIn = state.session.phase === 'signed-in'
    if (wasSignedIn && !signedIn) {
      wasSignedIn = false
      state.bulk.actions.clear()
      state.bulk.actions.dismissMessage()
    }
    wasSignedIn = signedIn
    if (state.session.phase !== 'signed-in' && (state.exports.users.phase !== 'idle' || state.exports.audit.phase !== 'idle')) state.exports.actions.reset()
  })
  return store
}

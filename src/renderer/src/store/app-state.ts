// The shape of the one app store: a slice per screen or concern, each under its
// own key with its data and, apart from it, its actions. Actions never change,
// so a component can select `s.users.actions` whole without re-rendering.
import type { Call } from '../api/caller'
import type { AuditSlice } from './slices/audit'
import type { BulkSlice } from './slices/bulk'
import type { ChangesSlice } from './slices/changes'
import type { DirectorySyncSlice } from './slices/directory-sync'
import type { EnrollmentSlice } from './slices/enrollment'
import type { ExportsSlice } from './slices/exports'
import type { GroupDetailsSlice } from './slices/group-details'
import type { GroupMembersSlice } from './slices/group-members'
import type { GroupsSlice } from './slices/groups'
import type { InPersonSlice } from './slices/in-person'
import type { HistorySlice } from './slices/history'
import type { MyAccountSlice } from './slices/my-account'
import type { NavSlice } from './slices/nav'
import type { RadiusClientsSlice } from './slices/radius-clients'
import type { ReauthSlice } from './slices/reauth'
import type { SecuritySlice } from './slices/security'
import type { SessionSlice } from './slices/session'
import type { TemporaryPassSlice } from './slices/temporary-pass'
import type { UserDetailsSlice } from './slices/user-details'
import type { UserImportSlice } from './slices/user-import'
import type { UsersSlice } from './slices/users'

export interface AppState {
  session: SessionSlice
  nav: NavSlice
  reauth: ReauthSlice
  users: UsersSlice
  userDetails: UserDetailsSlice
  security: SecuritySlice
  history: HistorySlice
  audit: AuditSlice
  myAccount: MyAccountSlice
  enrollment: EnrollmentSlice
  temporaryPass: TemporaryPassSlice
  inPerson: InPersonSlice
  changes: ChangesSlice
  exports: ExportsSlice
  userImport: UserImportSlice
  directorySync: DirectorySyncSlice
  radiusClients: RadiusClientsSlice
  groups: GroupsSlice
  groupDetails: GroupDetailsSlice
  groupMembers: GroupMembersSlice
  bulk: BulkSlice
}

export type SliceName = keyof AppState

export type SlicePatch<K extends SliceName> = Partial<AppState[K]> | ((slice: AppState[K]) => Partial<AppState[K]>)

/** What a slice's creator is given: its own state, the app for the few actions that reach into another slice, and the app's API. */
export interface SliceContext<K extends SliceName> {
  /** Merges into this slice only, as zustand's set does one level up. */
  set: (patch: SlicePatch<K>) => void
  get: () => AppState[K]
  /** The whole store: an action that changes another slice says so where it does. */
  app: () => AppState
  call: Call
}

export type SliceCreator<K extends SliceName> = (context: SliceContext<K>) => AppState[K]

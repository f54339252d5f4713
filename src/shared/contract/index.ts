// The one contract between the screens and the core, merged from one slice per
// feature (sign-in.ts, users.ts, ...). Electron IPC, the browser preview's HTTP
// bridge and the tests all implement or consume `AdminApi`; the core checks
// each feature's handlers against its slice (HandlersFor in src/main/core).
// No runtime imports beyond the slices' method lists, so the sandboxed preload
// can bundle it whole.
import type { Result } from '../errors'
import { AUDIT_METHODS, type AuditApi } from './audit'
import { BULK_METHODS, type BulkApi } from './bulk'
import { CHANGES_METHODS, type ChangesApi } from './changes'
import { DIRECTORY_SYNC_METHODS, type DirectorySyncApi } from './directory-sync'
import { ENFORCEMENT_METHODS, type EnforcementApi } from './enforcement'
import { ENROLLMENT_METHODS, type EnrollmentApi } from './enrollment'
import { EXPORT_METHODS, type ExportApi } from './export'
import { IN_PERSON_ENROLLMENT_METHODS, type InPersonEnrollmentApi } from './in-person-enrollment'
import { GROUPS_METHODS, type GroupsApi } from './groups'
import { HISTORY_METHODS, type HistoryApi } from './history'
import { MY_ACCOUNT_METHODS, type MyAccountApi } from './my-account'
import { RADIUS_METHODS, type RadiusApi } from './radius'
import { SIGN_IN_METHODS, type SignInApi } from './sign-in'
import type { ListsEvery } from './slice'
import { TEMPORARY_PASS_METHODS, type TemporaryPassApi } from './temporary-pass'
import { USER_IMPORT_METHODS, type UserImportApi } from './user-import'
import { USERS_METHODS, type UsersApi } from './users'

export type { AuditApi, ListAuditInput } from './audit'
export type { BulkAction, BulkApi, BulkCounts, BulkFilter, BulkInstructions, BulkSelection } from './bulk'
export type { ChangesApi } from './changes'
export type {
  DirectoryConnectionInput,
  DirectoryConnectionView,
  DirectorySyncApi,
  DirectorySyncChange,
  DirectorySyncCounts,
  DirectorySyncProblem,
  DirectorySyncProgress,
  DirectorySyncResult
} from './directory-sync'
export type { EnforcementApi, EnforcementTarget, GraceInput } from './enforcement'
export type { GroupMembersInput, GroupMembersResult, GroupsApi } from './groups'
export type { DistributionPoint, EnforcementDeadline, EnforcementEvent, HistoryApi, TwoFactorHistory } from './history'
export type { EnrollmentApi } from './enrollment'
export type { InPersonEnrollmentApi } from './in-person-enrollment'
export type { IssueTemporaryPassInput, TemporaryPassApi } from './temporary-pass'
export type { AuditExportFormat, ExportApi, ExportAuditInput, ExportJob, ExportKind, ExportUsersInput, UserExportFormat } from './export'
export type { MyAccountApi } from './my-account'
export type { AddRadiusClientInput, RadiusApi, RadiusClientView } from './radius'
export type { ReauthenticateInput, RecoveryCodeSignIn, SignInApi } from './sign-in'
export type { NoInput } from './slice'
export type { CreateUserInput, ListUsersInput, SetUserPasswordInput, UpdateUserInput, UserListFilter, UserWithPassword, UsersApi } from './users'
export type { ImportChange, ImportProblem, ImportProgress, ImportResult, ImportUsersInput, UserImportApi } from './user-import'

/** Method name -> input and output: every feature's slice in one. */
export type ApiSpec = SignInApi & EnrollmentApi & MyAccountApi & UsersApi & EnforcementApi & AuditApi & UserImportApi & DirectorySyncApi & RadiusApi & ChangesApi & ExportApi & GroupsApi & HistoryApi & TemporaryPassApi & InPersonEnrollmentApi & BulkApi

export type ApiMethod = keyof ApiSpec
export type ApiInput<M extends ApiMethod> = ApiSpec[M]['input']
export type ApiOutput<M extends ApiMethod> = ApiSpec[M]['output']

export type AdminApi = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<Result<ApiOutput<M>>>
}

/** Every method, in one list; transports derive their channels from it (src/shared/transport.ts). */
export const API_METHODS = [
  ...SIGN_IN_METHODS,
  ...ENROLLMENT_METHODS,
  ...MY_ACCOUNT_METHODS,
  ...USERS_METHODS,
  ...ENFORCEMENT_METHODS,
  ...AUDIT_METHODS,
  ...CHANGES_METHODS,
  ...USER_IMPORT_METHODS,
  ...EXPORT_METHODS,
  ...DIRECTORY_SYNC_METHODS,
  ...RADIUS_METHODS,
  ...GROUPS_METHODS,
  ...HISTORY_METHODS,
  ...TEMPORARY_PASS_METHODS,
  ...IN_PERSON_ENROLLMENT_METHODS,
  ...BULK_METHODS
] as const satisfies readonly ApiMethod[]

const everyMethodListed: ListsEvery<ApiSpec, typeof API_METHODS> = true
void everyMethodListed

const METHOD_NAMES: ReadonlySet<string> = new Set(API_METHODS)

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && METHOD_NAMES.has(name)
}

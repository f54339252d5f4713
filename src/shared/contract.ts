// The one contract between the screens and the core. Electron IPC, the browser
// preview's HTTP bridge and the tests all implement or consume `AdminApi`.
// This file has no runtime imports so the sandboxed preload can bundle it whole.
import type {
  AppState,
  AuditAction,
  AuditPage,
  AuthStep,
  Enforcement,
  EnrollmentDone,
  EnrollmentStart,
  MyAccount,
  Role,
  SecurityOverview,
  SortDirection,
  TwoFactorStatus,
  UserDetails,
  UserPage,
  UserSortKey
} from './domain'
import type { Result } from './errors'

type NoInput = Record<string, never>

export interface ListUsersInput {
  /**
   * Matches the name or the email, ignoring ASCII case: terms of one or two
   * characters match the start of either, longer terms anywhere in either. A
   * search lists at most 1,000 users; see UserPage.totalCapped.
   */
  query?: string
  status?: TwoFactorStatus
  sort?: UserSortKey
  direction?: SortDirection
  cursor?: string
  /**
   * Start the page at this 0-based row of the sorted, filtered list instead of
   * after a cursor: how a virtualized table jumps to any scroll position. Never
   * together with `cursor`. The answer's `start` says where the page begins.
   */
  position?: number
  limit?: number
}

export interface UpdateUserInput {
  userId: number
  name?: string
  role?: Role
  disabled?: boolean
}

/** Confirms the signed-in person's identity again, with either factor. */
export type ReauthenticateInput = { password: string; code?: never } | { code: string; password?: never }

export interface ListAuditInput {
  /** Email of the actor or the target. */
  user?: string
  action?: AuditAction
  /** Return entries with an id below this one (newest first). */
  before?: number
  limit?: number
}

/** Method name -> input and output. The single source of truth for channel names. */
export interface ApiSpec {
  // Session and sign-in (callable without a session)
  getAppState: { input: NoInput; output: AppState }
  setupFirstAdmin: { input: { name: string; email: string; password: string }; output: AuthStep }
  login: { input: { email: string; password: string }; output: AuthStep }
  verifyCode: { input: { code: string }; output: AuthStep }
  verifyRecoveryCode: { input: { code: string }; output: AuthStep }
  logout: { input: NoInput; output: null }
  /** Sensitive admin actions answer REAUTH_REQUIRED when the last password or code is over 5 minutes old. */
  reauthenticate: { input: ReauthenticateInput; output: null }

  // Own account (any signed-in user; enrollment also while enrollment is required)
  startEnrollment: { input: NoInput; output: EnrollmentStart }
  confirmEnrollment: { input: { code: string }; output: EnrollmentDone }
  getMyAccount: { input: NoInput; output: MyAccount }
  deactivateMyTwoFactor: { input: { code: string }; output: MyAccount }
  regenerateRecoveryCodes: { input: { code: string }; output: { recoveryCodes: string[] } }
  changePassword: { input: { currentPassword: string; newPassword: string }; output: null }

  // Administration (admins only)
  listUsers: { input: ListUsersInput; output: UserPage }
  getUser: { input: { userId: number }; output: UserDetails }
  createUser: { input: { name: string; email: string; role: Role; password: string }; output: UserDetails }
  updateUser: { input: UpdateUserInput; output: UserDetails }
  setEnforce2faActivation: { input: { userId: number; enforce: boolean }; output: UserDetails }
  setEnforcement: { input: { userId: number; enforcement: Enforcement }; output: UserDetails }
  resetTwoFactor: { input: { userId: number }; output: UserDetails }
  unlockUser: { input: { userId: number }; output: UserDetails }
  getSecurityOverview: { input: NoInput; output: SecurityOverview }
  enforceForAllUsers: { input: NoInput; output: SecurityOverview }
  revokeEnforcement: { input: NoInput; output: SecurityOverview }
  listAudit: { input: ListAuditInput; output: AuditPage }
}

export type ApiMethod = keyof ApiSpec
export type ApiInput<M extends ApiMethod> = ApiSpec[M]['input']
export type ApiOutput<M extends ApiMethod> = ApiSpec[M]['output']

export type AdminApi = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<Result<ApiOutput<M>>>
}

/** Every method, in one list; transports derive their channels from it. */
export const API_METHODS = [
  'getAppState',
  'setupFirstAdmin',
  'login',
  'verifyCode',
  'verifyRecoveryCode',
  'logout',
  'reauthenticate',
  'startEnrollment',
  'confirmEnrollment',
  'getMyAccount',
  'deactivateMyTwoFactor',
  'regenerateRecoveryCodes',
  'changePassword',
  'listUsers',
  'getUser',
  'createUser',
  'updateUser',
  'setEnforce2faActivation',
  'setEnforcement',
  'resetTwoFactor',
  'unlockUser',
  'getSecurityOverview',
  'enforceForAllUsers',
  'revokeEnforcement',
  'listAudit'
] as const satisfies readonly ApiMethod[]

// Compile-time proof that API_METHODS lists every method of ApiSpec.
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>
const everyMethodListed: MissingMethods extends never ? true : MissingMethods = true
void everyMethodListed

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name)
}

/** The Electron IPC channel for a method: written here and nowhere else. */
export function ipcChannel(method: ApiMethod): string {
  return `twofa-admin:${method}`
}

/** The HTTP bridge path for a method. */
export function httpPath(method: ApiMethod): string {
  return `/api/${method}`
}

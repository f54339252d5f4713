// Sign-in: the first-run setup, password, second factor, sign-out and "Confirm
// it's you". Callable without a session (the core decides what each may do).
import type { AppState, AuthStep } from '../domain'
import type { ListsEvery, NoInput } from './slice'

/** Confirms the signed-in person's identity again, with either factor. */
export type ReauthenticateInput = { password: string; code?: never } | { code: string; password?: never }

/**
 * Signed in with a recovery code: the screen tells how many unused codes are
 * left (0 to 10) and offers to generate new ones.
 */
export type RecoveryCodeSignIn = Extract<AuthStep, { step: 'signed-in' }> & { recoveryCodesLeft: number }

export interface SignInApi {
  getAppState: { input: NoInput; output: AppState }
  setupFirstAdmin: { input: { name: string; email: string; password: string }; output: AuthStep }
  login: { input: { email: string; password: string }; output: AuthStep }
  verifyCode: { input: { code: string }; output: AuthStep }
  verifyRecoveryCode: { input: { code: string }; output: RecoveryCodeSignIn }
  /** `idle`: the screen signs out after the idle timeout, which the audit log records as an expired session. */
  logout: { input: { reason?: 'idle' }; output: null }
  /** Sensitive admin actions answer REAUTH_REQUIRED when the last password or code is over 5 minutes old. */
  reauthenticate: { input: ReauthenticateInput; output: null }
}

export const SIGN_IN_METHODS = ['getAppState', 'setupFirstAdmin', 'login', 'verifyCode', 'verifyRecoveryCode', 'logout', 'reauthenticate'] as const
const listed: ListsEvery<SignInApi, typeof SIGN_IN_METHODS> = true
void listed

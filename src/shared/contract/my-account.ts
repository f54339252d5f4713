// My account: what any signed-in person may do to their own account.
import type { MyAccount } from '../domain'
import type { ListsEvery, NoInput } from './slice'

export interface MyAccountApi {
  getMyAccount: { input: NoInput; output: MyAccount }
  deactivateMyTwoFactor: { input: { code: string }; output: MyAccount }
  regenerateRecoveryCodes: { input: { code: string }; output: { recoveryCodes: string[] } }
  changePassword: { input: { currentPassword: string; newPassword: string }; output: null }
}

export const MY_ACCOUNT_METHODS = ['getMyAccount', 'deactivateMyTwoFactor', 'regenerateRecoveryCodes', 'changePassword'] as const
const listed: ListsEvery<MyAccountApi, typeof MY_ACCOUNT_METHODS> = true
void listed

import { z } from 'zod'
import type { MyAccountApi } from '../contract'
import { loginPasswordSchema, noInput, passwordSchema, totpCodeSchema } from './fields'
import type { SchemasFor } from './schemas-for'

export const myAccountSchemas = {
  getMyAccount: noInput,
  deactivateMyTwoFactor: z.object({ code: totpCodeSchema }).strict(),
  regenerateRecoveryCodes: z.object({ code: totpCodeSchema }).strict(),
  changePassword: z.object({ currentPassword: loginPasswordSchema, newPassword: passwordSchema }).strict()
} satisfies SchemasFor<MyAccountApi>

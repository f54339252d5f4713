import { z } from 'zod'
import { MAX_EMAIL_LENGTH } from '../limits'
import type { SchemasFor } from './schemas-for'
import type { SignInApi } from '../contract'
import { emailSchema, loginPasswordSchema, nameSchema, noInput, passwordSchema, recoveryCodeSchema, totpCodeSchema } from './fields'

export const signInSchemas = {
  getAppState: noInput,
  setupFirstAdmin: z.object({ name: nameSchema, email: emailSchema, password: passwordSchema }).strict(),
  login: z.object({ email: z.string().trim().max(MAX_EMAIL_LENGTH).toLowerCase(), password: loginPasswordSchema }).strict(),
  verifyCode: z.object({ code: totpCodeSchema }).strict(),
  verifyRecoveryCode: z.object({ code: recoveryCodeSchema }).strict(),
  logout: z.object({ reason: z.literal('idle').optional() }).strict(),
  reauthenticate: z
    .object({ password: loginPasswordSchema.optional(), code: totpCodeSchema.optional() })
    .strict()
    .refine((input) => (input.password === undefined) !== (input.code === undefined), 'Enter your password or an authentication code.')
} satisfies SchemasFor<SignInApi>

import { z } from 'zod'
import type { EnforcementApi } from '../contract'
import { ENFORCEMENTS } from '../domain'
import { noInput, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'

export const enforcementSchemas = {
  setEnforceTwoFactorActivation: z.object({ userId: userIdSchema, enforce: z.boolean() }).strict(),
  setEnforcement: z.object({ userId: userIdSchema, enforcement: z.enum(ENFORCEMENTS as [string, ...string[]]) }).strict(),
  getSecurityOverview: noInput,
  enforceForAllUsers: noInput,
  revokeEnforcement: noInput
} satisfies SchemasFor<EnforcementApi>

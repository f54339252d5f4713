import { z } from 'zod'
import type { EnforcementApi } from '../contract'
import { ENFORCEMENTS, MAX_GRACE_DAYS } from '../domain'
import { MAX_IDLE_TIMEOUT_MINUTES, MIN_IDLE_TIMEOUT_MINUTES } from '../limits'
import { groupIdSchema, noInput, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'

export const graceDaysSchema = z
  .number()
  .int('Give the grace period in whole days.')
  .min(0, 'A grace period cannot be negative.')
  .max(MAX_GRACE_DAYS, `A grace period is at most ${MAX_GRACE_DAYS} days.`)

const IDLE_TIMEOUT_MESSAGE = `The idle timeout is a whole number of minutes from ${MIN_IDLE_TIMEOUT_MINUTES} to ${MAX_IDLE_TIMEOUT_MINUTES}.`

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('group'), groupId: groupIdSchema }).strict(),
  z.object({ kind: z.literal('exemption'), groupId: groupIdSchema.nullable() }).strict()
])

export const enforcementSchemas = {
  setEnforceTwoFactorActivation: z.object({ userId: userIdSchema, enforce: z.boolean(), graceDays: graceDaysSchema.optional() }).strict(),
  setEnforcement: z
    .object({ userId: userIdSchema, enforcement: z.enum(ENFORCEMENTS as [string, ...string[]]), graceDays: graceDaysSchema.optional() })
    .strict(),
  getSecurityOverview: noInput,
  enforceForAllUsers: z.object({ graceDays: graceDaysSchema.optional() }).strict(),
  revokeEnforcement: noInput,
  previewEnforcement: z.object({ target: targetSchema, revoke: z.boolean().optional(), graceDays: graceDaysSchema.optional() }).strict(),
  setPolicyExemptionGroup: z.object({ groupId: groupIdSchema.nullable() }).strict(),
  setIdleTimeout: z
    .object({
      minutes: z.number().min(MIN_IDLE_TIMEOUT_MINUTES, IDLE_TIMEOUT_MESSAGE).max(MAX_IDLE_TIMEOUT_MINUTES, IDLE_TIMEOUT_MESSAGE)
    })
    .strict()
} satisfies SchemasFor<EnforcementApi>

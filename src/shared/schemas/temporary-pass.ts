import { z } from 'zod'
import type { TemporaryPassApi } from '../contract'
import { TEMPORARY_PASS_MAX_HOURS, TEMPORARY_PASS_MIN_HOURS } from '../contract/temporary-pass'
import { passwordSchema, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'

const HOURS_MESSAGE = `A temporary access pass lasts from ${TEMPORARY_PASS_MIN_HOURS} hour to 30 days (${TEMPORARY_PASS_MAX_HOURS} hours), in whole hours.`

export const temporaryPassSchemas = {
  issueTemporaryPass: z
    .object({
      userId: userIdSchema,
      // Whole hours (a refinement, so a fraction gets this message rather than "the wrong type").
      hours: z.number().min(TEMPORARY_PASS_MIN_HOURS, HOURS_MESSAGE).max(TEMPORARY_PASS_MAX_HOURS, HOURS_MESSAGE).refine(Number.isInteger, HOURS_MESSAGE).optional(),
      singleUse: z.boolean().optional()
    })
    .strict(),
  revokeTemporaryPass: z.object({ userId: userIdSchema }).strict(),
  setFirstPassword: z.object({ password: passwordSchema }).strict()
} satisfies SchemasFor<TemporaryPassApi>

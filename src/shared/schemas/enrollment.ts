import { z } from 'zod'
import type { EnrollmentApi } from '../contract'
import { noInput, totpCodeSchema } from './fields'
import type { SchemasFor } from './schemas-for'

export const enrollmentSchemas = {
  startEnrollment: noInput,
  confirmEnrollment: z.object({ code: totpCodeSchema }).strict()
} satisfies SchemasFor<EnrollmentApi>

import { z } from 'zod'
import type { InPersonEnrollmentApi } from '../contract'
import { loginPasswordSchema, noInput, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'
import { signInSchemas } from './sign-in'

export const inPersonEnrollmentSchemas = {
  startInPersonEnrollment: z.object({ userId: userIdSchema }).strict(),
  // A password or a temporary access pass: checked, not judged, like a password at login.
  identifyInPerson: z.object({ secret: loginPasswordSchema }).strict(),
  cancelInPersonEnrollment: noInput,
  // The administrator's password or code, exactly as "Confirm it's you" takes them.
  endInPersonEnrollment: signInSchemas.reauthenticate
} satisfies SchemasFor<InPersonEnrollmentApi>

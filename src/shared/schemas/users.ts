import { z } from 'zod'
import type { UsersApi } from '../contract'
import { TWO_FACTOR_FILTERS } from '../domain'
import { MAX_EMAIL_LENGTH, MAX_PAGE_SIZE } from '../limits'
import { emailSchema, nameSchema, passwordSchema, roleSchema, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'

export const usersSchemas = {
  listUsers: z
    .object({
      query: z.string().max(MAX_EMAIL_LENGTH).optional(),
      status: z.enum(TWO_FACTOR_FILTERS as [string, ...string[]]).optional(),
      groupId: userIdSchema.optional(),
      sort: z.enum(['name', 'email', 'role', 'status']).optional(),
      direction: z.enum(['asc', 'desc']).optional(),
      cursor: z.string().max(2048).optional(),
      // Up to a billion: far past any directory, small enough to stay an exact integer everywhere.
      position: z.number().int().min(0).max(1_000_000_000).optional(),
      limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional()
    })
    .strict()
    .refine((input) => input.position === undefined || input.cursor === undefined, {
      message: 'Ask for a page by position or by cursor, not both.',
      path: ['position']
    }),
  getUser: z.object({ userId: userIdSchema }).strict(),
  createUser: z.object({ name: nameSchema, email: emailSchema, role: roleSchema, password: passwordSchema }).strict(),
  updateUser: z
    .object({ userId: userIdSchema, name: nameSchema.optional(), role: roleSchema.optional(), disabled: z.boolean().optional() })
    .strict(),
  resetTwoFactor: z.object({ userId: userIdSchema }).strict(),
  unlockUser: z.object({ userId: userIdSchema }).strict(),
  setUserPassword: z.object({ userId: userIdSchema, password: passwordSchema }).strict()
} satisfies SchemasFor<UsersApi>

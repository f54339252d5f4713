import { z } from 'zod'
import type { UsersApi } from '../contract'
import { ENFORCEMENT_SOURCE_FILTERS, TWO_FACTOR_FILTERS, USER_SORT_KEYS, USER_SOURCES } from '../domain'
import { MAX_PAGE_SIZE } from '../limits'
import { emailSchema, nameSchema, passwordSchema, roleSchema, searchQuerySchema, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'

/** A typed password or `generatePassword: true`: exactly one of the two. */
type PasswordChoice = { password?: string; generatePassword?: boolean }
const notBoth = (input: PasswordChoice): boolean => !(input.password !== undefined && input.generatePassword === true)
const notNeither = (input: PasswordChoice): boolean => input.password !== undefined || input.generatePassword === true
const NOT_BOTH = { message: 'Type a password or generate one, not both.', path: ['password'] }
const NOT_NEITHER = { message: 'Enter a password, or generate one.', path: ['password'] }

/** The fields of UserListFilter beyond the search, the status and the group: the Users list, its export and bulk selections share them. */
export const userListFilterFields = {
  role: roleSchema.optional(),
  locked: z.boolean().optional(),
  disabled: z.boolean().optional(),
  enforcementSource: z.enum(ENFORCEMENT_SOURCE_FILTERS as [string, ...string[]]).optional(),
  source: z.enum(USER_SOURCES as [string, ...string[]]).optional(),
  fewRecoveryCodes: z.literal(true).optional()
}

export const usersSchemas = {
  listUsers: z
    .object({
      query: searchQuerySchema.optional(),
      status: z.enum(TWO_FACTOR_FILTERS as [string, ...string[]]).optional(),
      groupId: userIdSchema.optional(),
      ...userListFilterFields,
      sort: z.enum(USER_SORT_KEYS as [string, ...string[]]).optional(),
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
  countUsers: z
    .object({
      query: searchQuerySchema.optional(),
      status: z.enum(TWO_FACTOR_FILTERS as [string, ...string[]]).optional(),
      groupId: userIdSchema.optional(),
      ...userListFilterFields
    })
    .strict(),
  getUser: z.object({ userId: userIdSchema }).strict(),
  createUser: z
    .object({
      name: nameSchema,
      email: emailSchema,
      role: roleSchema,
      password: passwordSchema.optional(),
      generatePassword: z.boolean().optional(),
      enforce: z.boolean().optional()
    })
    .strict()
    .refine(notBoth, NOT_BOTH)
    .refine(notNeither, NOT_NEITHER),
  updateUser: z
    .object({ userId: userIdSchema, name: nameSchema.optional(), role: roleSchema.optional(), disabled: z.boolean().optional() })
    .strict(),
  resetTwoFactor: z.object({ userId: userIdSchema }).strict(),
  unlockUser: z.object({ userId: userIdSchema }).strict(),
  setUserPassword: z
    .object({ userId: userIdSchema, password: passwordSchema.optional(), generatePassword: z.boolean().optional() })
    .strict()
    .refine(notBoth, NOT_BOTH)
    .refine(notNeither, NOT_NEITHER)
} satisfies SchemasFor<UsersApi>

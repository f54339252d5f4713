import { z } from 'zod'
import { BULK_ACTIONS, MAX_BULK_USERS, type BulkApi } from '../contract/bulk'
import { ENFORCEMENT_SOURCE_FILTERS, TWO_FACTOR_FILTERS, USER_SOURCES } from '../domain'
import { emailSchema, roleSchema, searchQuerySchema, userIdSchema } from './fields'
import type { SchemasFor } from './schemas-for'

const TOO_MANY = `Select at most ${MAX_BULK_USERS.toLocaleString('en-US')} users at once.`

/** The same fields as listUsers' filter (schemas/users.ts). */
const filterSchema = z
  .object({
    query: searchQuerySchema.optional(),
    status: z.enum(TWO_FACTOR_FILTERS as [string, ...string[]]).optional(),
    groupId: userIdSchema.optional(),
    role: roleSchema.optional(),
    locked: z.boolean().optional(),
    disabled: z.boolean().optional(),
    enforcementSource: z.enum(ENFORCEMENT_SOURCE_FILTERS as [string, ...string[]]).optional(),
    source: z.enum(USER_SOURCES as [string, ...string[]]).optional(),
    fewRecoveryCodes: z.literal(true).optional()
  })
  .strict()

export const bulkSelectionSchema = z.union([
  z.object({ userIds: z.array(userIdSchema).min(1, 'Select at least one user.').max(MAX_BULK_USERS, TOO_MANY) }).strict(),
  z.object({ emails: z.array(emailSchema).min(1, 'Name at least one user by email.').max(MAX_BULK_USERS, TOO_MANY) }).strict(),
  z.object({ filter: filterSchema, exceptUserIds: z.array(userIdSchema).max(MAX_BULK_USERS, TOO_MANY).optional() }).strict()
])

const actionSchema = z.enum(BULK_ACTIONS)

export const bulkSchemas = {
  previewBulkChange: z.object({ selection: bulkSelectionSchema, action: actionSchema }).strict(),
  applyBulkChange: z
    .object({ selection: bulkSelectionSchema, action: actionSchema, expectedChanges: z.number().int().min(0).max(MAX_BULK_USERS).optional() })
    .strict(),
  bulkInstructions: z.object({ selection: bulkSelectionSchema.optional() }).strict()
} satisfies SchemasFor<BulkApi>

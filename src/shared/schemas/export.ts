import { z } from 'zod'
import type { ExportApi } from '../contract'
import { AUDIT_EXPORT_FORMATS, USER_EXPORT_FORMATS } from '../contract/export'
import { AUDIT_ACTIONS, TWO_FACTOR_FILTERS } from '../domain'
import { MAX_EMAIL_LENGTH } from '../limits'
import { groupIdSchema, searchQuerySchema } from './fields'
import { userListFilterFields } from './users'
import type { SchemasFor } from './schemas-for'

/** An export's id as the core makes it: 32 url-safe base64 characters (24 random bytes). */
export const EXPORT_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/

export const exportSchemas = {
  exportUsers: z
    .object({
      format: z.enum(USER_EXPORT_FORMATS),
      status: z.enum(TWO_FACTOR_FILTERS as [string, ...string[]]).optional(),
      groupId: groupIdSchema.optional(),
      query: searchQuerySchema.optional(),
      ...userListFilterFields
    })
    .strict(),
  exportAudit: z
    .object({
      format: z.enum(AUDIT_EXPORT_FORMATS),
      user: z.string().max(MAX_EMAIL_LENGTH).optional(),
      action: z.enum(AUDIT_ACTIONS).optional()
    })
    .strict(),
  getExport: z.object({ exportId: z.string().regex(EXPORT_ID_PATTERN, 'Not an export of this app.') }).strict()
} satisfies SchemasFor<ExportApi>

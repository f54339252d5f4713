import { z } from 'zod'
import type { AuditApi } from '../contract'
import { AUDIT_ACTIONS } from '../domain'
import { MAX_EMAIL_LENGTH, MAX_PAGE_SIZE } from '../limits'
import { noInput } from './fields'
import type { SchemasFor } from './schemas-for'

export const auditSchemas = {
  listAudit: z
    .object({
      user: z.string().max(MAX_EMAIL_LENGTH).optional(),
      action: z.enum(AUDIT_ACTIONS).optional(),
      before: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional()
    })
    .strict(),
  getAuditChainStatus: noInput,
  verifyWholeAuditLog: noInput
} satisfies SchemasFor<AuditApi>

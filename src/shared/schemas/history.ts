import { z } from 'zod'
import type { HistoryApi } from '../contract'
import { HISTORY_MAX_DAYS } from '../contract/history'
import type { SchemasFor } from './schemas-for'

const DAYS_MESSAGE = `Ask for 1 to ${HISTORY_MAX_DAYS} days.`

export const historySchemas = {
  getTwoFactorHistory: z
    // Whole days, said in the same words as a number out of range (zod's int() would be "the wrong type").
    .object({ days: z.number().min(1, DAYS_MESSAGE).max(HISTORY_MAX_DAYS, DAYS_MESSAGE).refine(Number.isInteger, DAYS_MESSAGE).optional() })
    .strict()
} satisfies SchemasFor<HistoryApi>

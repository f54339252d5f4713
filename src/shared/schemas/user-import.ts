import { z } from 'zod'
import type { UserImportApi } from '../contract'
import { MAX_IMPORT_BYTES } from '../contract/user-import'
import { noInput } from './fields'
import type { SchemasFor } from './schemas-for'

export const userImportSchemas = {
  importUsers: z
    .object({
      // Characters, not bytes: a file of MAX_IMPORT_BYTES bytes has at most as many characters.
      csv: z.string().max(MAX_IMPORT_BYTES, 'The file is larger than 32 MB. Split it, or import it with "twofa-admin import users FILE".'),
      dryRun: z.boolean(),
      ignoreUnknownColumns: z.boolean().optional()
    })
    .strict(),
  getImportProgress: noInput
} satisfies SchemasFor<UserImportApi>

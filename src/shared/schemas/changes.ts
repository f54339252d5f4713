import type { ChangesApi } from '../contract'
import { noInput } from './fields'
import type { SchemasFor } from './schemas-for'

export const changesSchemas = {
  getChangeStamp: noInput
} satisfies SchemasFor<ChangesApi>

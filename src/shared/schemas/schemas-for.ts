import type { z } from 'zod'

/** One payload schema per method of a contract slice. */
export type SchemasFor<Slice> = { [M in keyof Slice]: z.ZodType<unknown> }

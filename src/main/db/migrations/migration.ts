import type { Database } from '../sqlite'

/** One numbered schema step; `up` runs inside the transaction of all pending steps. */
export interface Migration {
  version: number
  description: string
  up(db: Database): void
}

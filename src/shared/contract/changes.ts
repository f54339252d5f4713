// Changes: how an open screen notices that the directory changed, by this app
// or by any other process on the same database (the command line, an import, a
// sync, the RADIUS service), so it can fetch what it shows again.
import type { ListsEvery, NoInput } from './slice'

export interface ChangesApi {
  /**
   * An opaque stamp that differs after every commit to the directory by any
   * connection, and stays the same while nothing is written. Cheap enough to ask
   * every second or two; asking is not activity (it keeps no session alive).
   */
  getChangeStamp: { input: NoInput; output: { stamp: string } }
}

export const CHANGES_METHODS = ['getChangeStamp'] as const
const listed: ListsEvery<ChangesApi, typeof CHANGES_METHODS> = true
void listed

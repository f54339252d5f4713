// Changes: the stamp an open screen compares, every second or two, to learn
// that the directory changed (here or in another process) and fetch what it
// shows again. It is read, never written: nothing a screen does to look at the
// directory may move it, or an idle screen would fetch again on every look.
import { createHash, randomBytes } from 'node:crypto'
import type { ChangesApi } from '../../../shared/contract'
import { readChangeCounters } from '../../db/changes-repo'
import type { CoreContext } from '../context'
import { requireSession } from '../guards'
import type { HandlersFor } from '../handlers'

export function changesHandlers(ctx: CoreContext) {
  // The counters say how busy the directory is; a screen needs only "same or not",
  // so it gets them hashed with a secret of this process.
  const salt = randomBytes(16)

  return {
    async getChangeStamp(caller) {
      // Any signed-in person may ask (My account follows too); asking keeps no session alive.
      requireSession(ctx, caller, ['signed-in'], { touch: false })
      const { dataVersion, ownChanges } = readChangeCounters(ctx.db)
      const stamp = createHash('sha256').update(salt).update(`${dataVersion}:${ownChanges}`).digest('base64url').slice(0, 22)
      return { stamp }
    }
  } satisfies HandlersFor<ChangesApi>
}

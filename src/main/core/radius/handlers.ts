// RADIUS clients for the screens and the command line: who may ask the RADIUS
// service. Adding or removing one changes which devices can sign people in,
// so it needs a recent password or code; the shared secret is sealed at rest
// and shown only once, when it was made here.
import { randomBytes } from 'node:crypto'
import type { RadiusApi, RadiusClientView } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { formatClientAddress, parseClientAddress } from '../../../shared/ip-address'
import { writeTransaction } from '../../db/connection'
import * as radiusRepo from '../../db/radius-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { encryptRadiusSecret } from '../crypto/secrets'
import { requireAdmin, requireRecentAuthentication } from '../guards'
import type { HandlersFor } from '../handlers'

function view(record: radiusRepo.RadiusClientRecord): RadiusClientView {
  return { name: record.name, address: record.address, require2fa: record.require2fa, createdAt: record.createdAt, createdBy: record.createdBy }
}

/** 32 characters from a URL-safe alphabet: 192 bits, typeable into a device's web form. */
function newSharedSecret(): string {
  return randomBytes(24).toString('base64url')
}

export function radiusHandlers(ctx: CoreContext) {
  return {
    async listRadiusClients(caller) {
      requireAdmin(ctx, caller)
      return radiusRepo.listRadiusClients(ctx.db).map(view)
    },

    async addRadiusClient(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      const parsed = parseClientAddress(input.address)
      if (parsed === null) throw new AppError('VALIDATION', 'Enter an IP address or a CIDR block, like 192.0.2.10 or 10.0.0.0/8.', 'address')
      const address = formatClientAddress(parsed)
      const made = input.secret === undefined
      const secret = input.secret ?? newSharedSecret()
      const now = ctx.clock.now()
      const record = writeTransaction(ctx.db, () => {
        if (radiusRepo.findRadiusClient(ctx.db, input.name)) throw new AppError('VALIDATION', `There is already a RADIUS client named ${input.name}. Choose another name, or remove that one first.`, 'name')
        radiusRepo.insertRadiusClient(ctx.db, {
          name: input.name,
          address,
          secretEnc: encryptRadiusSecret(ctx.dataKey.get(), input.name, secret),
          require2fa: input.require2fa,
          createdAt: now,
          createdBy: actor.label
        })
        appendAudit(ctx.db, now, { actor: actor.label, action: 'radius.client-added', target: input.name, details: { address, require2fa: input.require2fa } })
        return radiusRepo.findRadiusClient(ctx.db, input.name)!
      })
      return { client: view(record), secret: made ? secret : null }
    },

    async removeRadiusClient(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const client = radiusRepo.findRadiusClient(ctx.db, input.name)
        if (!client) throw new AppError('NOT_FOUND', `There is no RADIUS client named ${input.name}.`)
        radiusRepo.deleteRadiusClient(ctx.db, client.name)
        appendAudit(ctx.db, now, { actor: actor.label, action: 'radius.client-removed', target: client.name, details: { address: client.address } })
      })
      return null
    }
  } satisfies HandlersFor<RadiusApi>
}

// What the RADIUS service (an adapter: src/radius/) needs of the core beyond
// the screens' contract: the clients with their secrets opened, to tell who
// may ask and to check their packets, and the sign-in decision itself.
import { BlockList, isIP } from 'node:net'
import { parseClientAddress } from '../../../shared/ip-address'
import * as radiusRepo from '../../db/radius-repo'
import type { CoreContext } from '../context'
import { decryptRadiusSecret } from '../crypto/secrets'
import { RadiusSignIn } from './radius-sign-in'

export interface LoadedRadiusClient {
  name: string
  address: string
  require2fa: boolean
  secret: Buffer
  matches(ip: string): boolean
}

export function radiusLocal(ctx: CoreContext) {
  const signIn = new RadiusSignIn(ctx)
  return {
    /** The clients as stored now, secrets opened (the service keeps them in memory only). */
    loadRadiusClients(): LoadedRadiusClient[] {
      return radiusRepo.listRadiusClients(ctx.db).map((record) => {
        const parsed = parseClientAddress(record.address)
        const list = new BlockList()
        if (parsed !== null) list.addSubnet(parsed.address, parsed.prefix, parsed.family)
        return {
          name: record.name,
          address: record.address,
          require2fa: record.require2fa,
          secret: decryptRadiusSecret(ctx.dataKey.get(), record.name, record.secretEnc),
          matches: (ip: string) => {
            if (parsed === null) return false
            // A dual-stack socket reports an IPv4 sender as ::ffff:a.b.c.d: it is that IPv4 address.
            const address = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip
            const family = isIP(address)
            return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4')
          }
        }
      })
    },
    /** A token that changes when clients are added or removed, so the service reloads them. */
    radiusClientsVersion(): string {
      return radiusRepo.radiusClientsVersion(ctx.db)
    },
    radiusSignIn: signIn
  }
}

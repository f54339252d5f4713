// twofa-admin radius ...: the RADIUS clients (the devices allowed to ask) and
// the RADIUS service itself (src/radius/), over the same core and database.
import type { RadiusClientView } from '../../shared/contract'
import { allowOnly, expectPositionals, optionalWholeNumber, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso, printTable } from '../output'
import { call, withCore } from '../run-core'
import { serveRadius } from '../../radius/serve'

export const RADIUS_USAGE = `  radius client add --name NAME --address IP|CIDR --secret-stdin [--require-2fa]
                                         allow a VPN, Wi-Fi controller or other device to ask (secret: 16+ characters)
  radius client list [--json]
  radius client remove NAME
  radius serve [--host ADDR] [--port N]  the RADIUS service (default 127.0.0.1:1812); stops on SIGTERM / SIGINT`

export async function radiusCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  if (sub === 'serve') {
    const flags = allowOnly(allFlags, 'radius serve', ['host', 'port'])
    expectPositionals(positionals, 0, 'options only: radius serve [--host ADDR] [--port N]')
    const host = typeof flags.host === 'string' ? flags.host : '127.0.0.1'
    const port = optionalWholeNumber(flags, 'port', 1, 65535) ?? 1812
    return serveRadius({ dbPath, host, port, io })
  }
  if (sub !== 'client') throw new UsageError(sub === undefined ? 'radius needs a command: client add|list|remove, or serve.' : `Unknown command "radius ${sub}".`)
  const [action, ...args] = positionals
  switch (action) {
    case 'add': {
      const flags = allowOnly(allFlags, 'radius client add', ['name', 'address', 'secret-stdin', 'require-2fa'])
      expectPositionals(args, 0, 'options only: radius client add --name NAME --address IP|CIDR --secret-stdin')
      if (typeof flags.name !== 'string') throw new UsageError('radius client add needs --name NAME.')
      if (typeof flags.address !== 'string') throw new UsageError('radius client add needs --address IP or CIDR, like 192.0.2.10 or 10.0.0.0/8.')
      if (!flags['secret-stdin']) throw new UsageError('radius client add needs --secret-stdin, with the shared secret piped on standard input.')
      const stdin = await io.readStdin()
      const secret = stdin === null ? '' : stdin.replace(/\r?\n$/, '')
      if (secret === '') throw new UsageError("Missing shared secret on standard input: pipe it in, e.g. printf '%s' \"$SECRET\" | twofa-admin radius client add ... --secret-stdin")
      const name = flags.name
      const address = flags.address
      return withCore(dbPath, async (core) => {
        const added = await call(core, 'addRadiusClient', { name, address, secret, require2fa: flags['require-2fa'] === true })
        await io.stdout(`Added RADIUS client ${added.client.name} (${added.client.address})${added.client.require2fa ? ', 2FA required for every user' : ''}.\n`)
        return 0
      })
    }
    case 'list': {
      const flags = allowOnly(allFlags, 'radius client list', ['json'])
      expectPositionals(args, 0, 'no arguments after radius client list')
      return withCore(dbPath, async (core) => {
        const clients = await call(core, 'listRadiusClients', {})
        if (flags.json) await io.stdout(`${JSON.stringify(clients)}\n`)
        else await printTable(io, ['NAME', 'ADDRESS', '2FA FOR ALL', 'ADDED'], rowsOf(clients), 'No RADIUS clients yet. Add one with "twofa-admin radius client add".')
        return 0
      })
    }
    case 'remove': {
      allowOnly(allFlags, 'radius client remove', [])
      const [name] = expectPositionals(args, 1, 'one name: radius client remove NAME')
      return withCore(dbPath, async (core) => {
        await call(core, 'removeRadiusClient', { name: name ?? '' })
        await io.stdout(`Removed RADIUS client ${name}.\n`)
        return 0
      })
    }
    default:
      throw new UsageError(action === undefined ? 'radius client needs add, list or remove.' : `Unknown command "radius client ${action}".`)
  }
}

async function* rowsOf(clients: RadiusClientView[]): AsyncGenerator<readonly string[]> {
  for (const client of clients) yield [client.name, client.address, client.require2fa ? 'yes' : 'no', iso(client.createdAt)]
}

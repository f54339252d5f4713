// twofa-admin radius serve: the RADIUS service as a headless process over the
// same database as the app and the command line (WAL: they may all be open).
// It refuses to start on a database that is not ours, newer, damaged, without
// its secrets key, or without a client to answer; it stops cleanly on SIGTERM
// and SIGINT.
import { existsSync } from 'node:fs'
import { AppError } from '../shared/errors'
import type { CliIo } from '../cli/io'
import { fileKeyProvider } from '../main/core/crypto/keys'
import { openCore, type Core } from '../main/core/open-core'
import { startRadiusServer, type RadiusServer } from './radius-server'

export interface ServeOptions {
  dbPath: string
  host: string
  port: number
  io: CliIo
  /** Resolves when the service should stop (tests); by default SIGTERM or SIGINT. */
  stopped?: Promise<void>
  /** Told once the service answers, with its address (tests bind port 0). */
  onListening?: (address: { host: string; port: number }) => void
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      resolve()
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}

export async function serveRadius(options: ServeOptions): Promise<number> {
  const { io } = options
  if (!existsSync(options.dbPath)) throw new AppError('NOT_FOUND', `No database at ${options.dbPath}. Run "twofa-admin init --db ${options.dbPath}" and set up users first.`)
  const core: Core = openCore({ dbPath: options.dbPath, keyProvider: fileKeyProvider(options.dbPath) })
  let server: RadiusServer | null = null
  try {
    const integrity = core.checkIntegrity()
    if (!integrity.ok) throw new AppError('DATABASE_CORRUPT', `The database ${options.dbPath} is damaged (${integrity.problems[0] ?? 'integrity check failed'}). Restore a backup before serving sign-ins.`)
    // Every secret the service needs is sealed under the key: without it nothing can be checked.
    core.local.ensureDataKey()
    const clients = core.local.loadRadiusClients()
    if (clients.length === 0) throw new AppError('NOT_FOUND', 'There are no RADIUS clients: add one first (twofa-admin radius client add --name NAME --address IP --secret-stdin).')
    server = await startRadiusServer({ core, host: options.host, port: options.port, log: (line) => io.stderr(`${line}\n`) })
    io.stderr(`2FA Admin RADIUS service on ${server.address.host}:${server.address.port} for ${clients.length} ${clients.length === 1 ? 'client' : 'clients'} (${clients.map((client) => client.name).join(', ')}).\n`)
    options.onListening?.(server.address)
    await (options.stopped ?? untilSignal())
    io.stderr('Stopping the RADIUS service.\n')
    return 0
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new AppError('VALIDATION', `Port ${options.port} on ${options.host} is in use: stop the other RADIUS server or choose --port.`)
    if (code === 'EACCES') throw new AppError('FORBIDDEN', `Not allowed to listen on ${options.host}:${options.port}: ports below 1024 need privileges (see docs/RADIUS.md), or choose --port.`)
    if (code === 'EADDRNOTAVAIL') throw new AppError('VALIDATION', `${options.host} is not an address of this machine.`)
    throw error
  } finally {
    await server?.close()
    core.close()
  }
}

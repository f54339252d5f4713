// `npm run serve -- --db FILE [--port N]`: the browser preview on a real
// directory. Opens the core with the key file beside the database, serves the
// built renderer, and stops cleanly on Ctrl-C.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../shared/errors'
import { fileKeyProvider } from '../main/core/crypto/keys'
import { openCore } from '../main/core/open-core'
import { defaultDatabasePath } from '../main/core/paths'
import { UsageError } from '../cli/args'
import { ExportDownloads } from './export-downloads'
import { startPreviewServer } from './preview-server'

export { UsageError } from '../cli/args'

export interface ServeArgs {
  dbPath: string
  port: number
  /** From TWOFA_ADMIN_REAUTH_WINDOW_MS; the core only ever shortens its 5-minute window with it. */
  reauthWindowMs?: number
  /** From TWOFA_ADMIN_IDLE_TIMEOUT_MS; the core only ever shortens the directory's idle timeout with it. */
  idleTimeoutMs?: number
}


const USAGE = 'Usage: npm run serve -- [--db FILE] [--port N]'

export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  let dbPath: string | undefined
  let port = 0
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string => {
      const next = inline ?? argv[++index]
      if (next === undefined || next.length === 0) throw new UsageError(`${flag} needs a value. ${USAGE}`)
      return next
    }
    if (flag === '--db') dbPath = value()
    else if (flag === '--port') {
      const text = value()
      const parsed = /^\d{1,5}$/.test(text) ? Number(text) : NaN
      if (!(parsed >= 0 && parsed <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, not "${text}".`)
      port = parsed
    } else throw new UsageError(`Unknown option "${arg}". ${USAGE}`)
  }
  const args: ServeArgs = { dbPath: resolve(dbPath ?? defaultDatabasePath(env)), port }
  // For the end-to-end tests, which cannot wait five real minutes for "Confirm it's you".
  // It can only shorten the window (reauthWindow() in src/main/core/sessions.ts caps it).
  const reauthText = env.TWOFA_ADMIN_REAUTH_WINDOW_MS
  if (reauthText !== undefined && /^\d{1,9}$/.test(reauthText)) args.reauthWindowMs = Number(reauthText)
  // The same for the idle sign-out and its warning (idleTimeoutMs() in src/main/core/sessions.ts caps it).
  const idleText = env.TWOFA_ADMIN_IDLE_TIMEOUT_MS
  if (idleText !== undefined && /^\d{1,9}$/.test(idleText)) args.idleTimeoutMs = Number(idleText)
  return args
}

/** The package root: this file runs as out/server/serve.js or, in tests, as src/server/serve.ts. */
const PACKAGE_ROOT = resolve(__dirname, '..', '..')

export function defaultRendererDir(): string {
  return resolve(PACKAGE_ROOT, 'out', 'renderer')
}

/** The bundled background worker (scripts/build-node.mjs): the preview's long checks run in worker threads like the desktop app's. */
export function backgroundWorkerPath(): string {
  return resolve(PACKAGE_ROOT, 'out', 'background', 'worker.js')
}

export interface ServeIo {
  out(line: string): void
  err(line: string): void
}

const consoleIo: ServeIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n')
}

/**
 * Starts the preview and resolves to a stop function; exits via the returned promise only on error.
 * `beforeReady` runs once it is up, just before the address and "Press Ctrl-C to stop." are printed.
 */
export async function startServe(
  argv: readonly string[],
  io: ServeIo = consoleIo,
  rendererDir = defaultRendererDir(),
  beforeReady: (stop: () => Promise<void>) => void = () => undefined
): Promise<() => Promise<void>> {
  const args = parseServeArgs(argv)
  mkdirSync(dirname(args.dbPath), { recursive: true })
  // The screens' exports wait in a private folder of this run until the browser downloads them.
  const downloads = new ExportDownloads()
  const core = openCore({
    dbPath: args.dbPath,
    keyProvider: fileKeyProvider(args.dbPath),
    backgroundWorker: backgroundWorkerPath(),
    exportDestination: downloads.destination,
    // As in the desktop app: the directory sync on its schedule while the preview runs.
    scheduleDirectorySync: true,
    // And the 2FA distribution of each day, for the trend on Account > Security.
    recordDistributionHistory: true,
    reauthWindowMs: args.reauthWindowMs,
    idleTimeoutMs: args.idleTimeoutMs,
    onUnexpectedError: (method, error) => io.err(`2FA Admin preview: unexpected error in ${method}: ${(error as Error)?.stack ?? String(error)}`)
  })
  let server
  try {
    server = await startPreviewServer({ core, rendererDir, port: args.port, downloads })
  } catch (error) {
    core.close()
    downloads.close()
    throw error
  }
  const running = server
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    try {
      await running.close()
    } finally {
      core.close()
      downloads.close()
    }
  }
  beforeReady(stop)
  io.out(`2FA Admin preview: ${server.url}`)
  io.out(`Database: ${args.dbPath}`)
  io.out('Press Ctrl-C to stop.')
  return stop
}

/** The CLI entry: resolves to the process exit code once stopped (or at once on a start failure). */
export async function main(argv: readonly string[], io: ServeIo = consoleIo, rendererDir = defaultRendererDir()): Promise<number> {
  let stopped: Promise<number> | undefined
  try {
    // Listening before "Press Ctrl-C to stop." is printed: a signal that came before anyone listened would end the
    // process at once (its default), without the clean stop. (During the start it still does.)
    await startServe(argv, io, rendererDir, (stop) => {
      stopped = new Promise<number>((resolveExit) => {
        const onSignal = (): void => {
          process.off('SIGINT', onSignal)
          process.off('SIGTERM', onSignal)
          stop().then(
            () => resolveExit(0),
            (error: unknown) => {
              io.err(`2FA Admin preview did not stop cleanly: ${(error as Error)?.message ?? String(error)}`)
              resolveExit(1)
            }
          )
        }
        process.on('SIGINT', onSignal)
        process.on('SIGTERM', onSignal)
      })
    })
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message)
      return 2
    }
    const code = (error as { code?: unknown })?.code
    if (code === 'EADDRINUSE') io.err('That port is in use. Choose another with --port N, or omit --port for a free one.')
    else io.err(error instanceof AppError ? error.message : `2FA Admin preview could not start: ${(error as Error)?.message ?? String(error)}`)
    return 1
  }
  if (stopped === undefined) throw new Error('startServe resolved without calling beforeReady.')
  return stopped
}

if (typeof require !== 'undefined' && require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code))
}

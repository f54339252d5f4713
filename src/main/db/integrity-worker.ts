// PRAGMA quick_check in a worker thread with its own read-only connection, so
// checking a large directory (seconds at a million users) never blocks the
// main process's event loop, and with it every window's IPC.
import { Worker } from 'node:worker_threads'

export interface WorkerCheckOptions {
  /** The database file. */
  path: string
  full: boolean
  /** Absolute path of the better-sqlite3 package's entry, resolved by the caller (bundles and Electron resolve differently). */
  sqliteModule: string
  /** A better-sqlite3 binding built for another ABI (Electron's main process). */
  nativeBinding?: string
}

export type WorkerCheckResult = { problems: string[] } | { error: { code: string | null; message: string } }

// Plain CommonJS run with `eval: true`: no separate bundle entry to ship, and
// the module path comes in workerData so it resolves the same in every host.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqliteModule)
let db
try {
  db = new Database(workerData.path, {
    readonly: true,
    fileMustExist: true,
    ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {})
  })
  db.pragma('busy_timeout = 5000')
  const rows = db.pragma((workerData.full ? 'integrity_check' : 'quick_check') + '(20)')
  parentPort.postMessage({ problems: rows.map((row) => String(Object.values(row)[0])) })
} catch (error) {
  parentPort.postMessage({ error: { code: typeof error.code === 'string' ? error.code : null, message: String(error.message) } })
} finally {
  if (db) db.close()
}
`

export function runIntegrityPragmaInWorker(options: WorkerCheckOptions): Promise<WorkerCheckResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path: options.path,
        full: options.full,
        sqliteModule: options.sqliteModule,
        ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding })
      }
    })
    let answered = false
    worker.once('message', (message: WorkerCheckResult) => {
      answered = true
      resolve(message)
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The integrity check worker stopped with code ${code} before answering.`))
    })
  })
}

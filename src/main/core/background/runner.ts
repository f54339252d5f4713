// Runs the background tasks (tasks.ts): in a worker thread when the host ships
// the bundled worker (worker.ts: the desktop app, the browser preview, tests),
// else in the calling thread (the command line). Either way the task gets its
// own read-only connection, and errors come back as the AppError or SQLite
// error the dispatcher already knows how to report.
import { Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../../../shared/errors'
import { openExisting } from '../../db/maintenance-repo'
import { openDatabase, type Database } from '../../db/connection'
import { TASKS, type TaskEnv, type TaskInput, type TaskName, type TaskOutput } from './tasks'

export interface TaskProgress {
  done: number
  total: number
}

export interface BackgroundTasks {
  run<N extends TaskName>(name: N, input: TaskInput<N>, onProgress?: (progress: TaskProgress) => void): Promise<TaskOutput<N>>
}

/** Which file the tasks open, and with which better-sqlite3 binding (Electron's differs from Node's). */
export interface TaskDatabase {
  path: string
  nativeBinding?: string
}

/** What crosses from the worker to the host. */
export type WorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; value: unknown }
  | { kind: 'error'; error: SerializedError }

export interface SerializedError {
  /** AppError's code, or SQLite's (SQLITE_CORRUPT ...), or null. */
  code: string | null
  appError: boolean
  message: string
  field?: string
}

/** What the worker is started with. */
export interface WorkerStart {
  name: TaskName
  input: unknown
  database: TaskDatabase
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) return { code: error.code, appError: true, message: error.message, field: error.field }
  const code = (error as { code?: unknown } | null)?.code
  return { code: typeof code === 'string' ? code : null, appError: false, message: (error as Error)?.message ?? String(error) }
}

export function deserializeError(error: SerializedError): Error {
  if (error.appError && error.code !== null) return new AppError(error.code as ErrorCode, error.message, error.field)
  return Object.assign(new Error(error.message), { code: error.code ?? undefined })
}

/** Runs one task against `database` in this thread, with a connection opened for it and closed after. */
export async function runTaskHere<N extends TaskName>(
  name: N,
  input: TaskInput<N>,
  database: TaskDatabase,
  onProgress: (progress: TaskProgress) => void = () => {}
): Promise<TaskOutput<N>> {
  let db: Database | null = null
  let writable: Database | null = null
  const env: TaskEnv = {
    openDatabase: () => (db ??= openExisting(database.path, { readonly: true, nativeBinding: database.nativeBinding })),
    openWritableDatabase: () => (writable ??= openDatabase(database.path, { nativeBinding: database.nativeBinding })),
    progress: (done, total) => onProgress({ done, total })
  }
  try {
    const task = TASKS[name] as (input: TaskInput<N>, env: TaskEnv) => TaskOutput<N> | Promise<TaskOutput<N>>
    return await task(input, env)
  } finally {
    // The task's variable may be reassigned by the closure above.
    ;(db as Database | null)?.close()
    ;(writable as Database | null)?.close()
  }
}

/** Tasks in the calling thread: for the command line. */
export function tasksInThisThread(database: TaskDatabase): BackgroundTasks {
  return { run: (name, input, onProgress) => runTaskHere(name, input, database, onProgress) }
}

/** Tasks in a worker thread each, started from the bundled worker script (worker.ts). */
export function tasksInWorkers(script: string, database: TaskDatabase): BackgroundTasks {
  return {
    run<N extends TaskName>(name: N, input: TaskInput<N>, onProgress?: (progress: TaskProgress) => void): Promise<TaskOutput<N>> {
      return new Promise<TaskOutput<N>>((resolve, reject) => {
        const start: WorkerStart = { name, input, database }
        const worker = new Worker(script, { workerData: start })
        let settled = false
        worker.on('message', (message: WorkerMessage) => {
          if (message.kind === 'progress') onProgress?.({ done: message.done, total: message.total })
          else if (message.kind === 'done') {
            settled = true
            resolve(message.value as TaskOutput<N>)
          } else {
            settled = true
            reject(deserializeError(message.error))
          }
        })
        worker.once('error', (error) => {
          settled = true
          reject(error)
        })
        worker.once('exit', (code) => {
          if (!settled) reject(new Error(`The background task ${name} stopped with code ${code} before answering.`))
        })
      })
    }
  }
}

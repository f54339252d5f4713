// Runs the background tasks (tasks.ts): in a worker thread when the host ships
// the bundled worker (worker.ts: the desktop app, the browser preview, tests),
// else in the calling thread (the command line). Either way the task gets its
// own read-only connection, and errors come back as the AppError or SQLite
// error the dispatcher already knows how to report.
import { Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../../../shared/errors'
import { openExisting } from '../../db/maintenance-repo'
import { openDatabase, type Database } from '../../db/connection'
import type { WriteGate } from '../write-gate'
import { TASKS, type TaskEnv, type TaskInput, type TaskName, type TaskOutput } from './tasks'

export interface TaskProgress {
  done: number
  total: number
}

export interface BackgroundTasks {
  /**
   * Runs a task. When `signal` aborts, the task is given up at once (its worker
   * stopped; in this thread, before it starts) and the promise fails with CANCELLED.
   * `mayWrite`, for a task that writes in someone's name, is called in this thread
   * once the task has its turn to write (it may have read a file or waited behind
   * another task since it was asked for): if it throws, the task is stopped before
   * it writes and the promise fails with that error.
   */
  run<N extends TaskName>(name: N, input: TaskInput<N>, onProgress?: (progress: TaskProgress) => void, signal?: AbortSignal, mayWrite?: () => void): Promise<TaskOutput<N>>
  /** Stops the worker kept waiting, if any (tasks under way go on). */
  close?(): void
  /** How many tasks are under way, each with its own connection to the file (a stopped one until its thread has ended). */
  running(): number
}

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'A newer request replaced this one.')
}

/** Which file the tasks open, and with which better-sqlite3 binding (Electron's differs from Node's). */
export interface TaskDatabase {
  path: string
  nativeBinding?: string
}

/** What crosses from the worker to the host. */
export type WorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  /** The task is about to write (TaskEnv.beforeWriting): the host takes its write gate and answers WorkerWriteGo. */
  | { kind: 'write-begin' }
  | { kind: 'done'; value: unknown }
  | { kind: 'error'; error: SerializedError }

export interface SerializedError {
  /** AppError's code, or SQLite's (SQLITE_CORRUPT ...), or null. */
  code: string | null
  appError: boolean
  message: string
  field?: string
}

/** A worker started ahead of its task: it waits for one WorkerStart message. */
export interface WorkerWaiting {
  waiting: true
}

/** The host holds its write gate for the task: it may begin its write transaction. */
export interface WorkerWriteGo {
  kind: 'write-go'
}

/** What the worker is given to run. */
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
  onProgress: (progress: TaskProgress) => void = () => {},
  beforeWriting: () => Promise<void> = () => Promise.resolve()
): Promise<TaskOutput<N>> {
  let db: Database | null = null
  let writable: Database | null = null
  const env: TaskEnv = {
    openDatabase: () => (db ??= openExisting(database.path, { readonly: true, nativeBinding: database.nativeBinding })),
    openWritableDatabase: () => (writable ??= openDatabase(database.path, { nativeBinding: database.nativeBinding })),
    progress: (done, total) => onProgress({ done, total }),
    beforeWriting
  }
  try {
    const task = TASKS[name] as (input: TaskInput<N>, env: TaskEnv) => TaskOutput<N> | Promise<TaskOutput<N>>
    return await task(input, env)
  } finally {
    // The task's variable may be reassigned by the closure above. Each is closed even if the other
    // refuses: a worker is kept for the next task, and an open connection would hold a snapshot.
    try {
      ;(db as Database | null)?.close()
    } finally {
      ;(writable as Database | null)?.close()
    }
  }
}

/** Tasks in the calling thread: for the command line. A task that is about to write takes `gate` in its turn until it ends. */
export function tasksInThisThread(database: TaskDatabase, gate?: WriteGate): BackgroundTasks {
  let running = 0
  return {
    running: () => running,
    async run<N extends TaskName>(name: N, input: TaskInput<N>, onProgress?: (progress: TaskProgress) => void, signal?: AbortSignal, mayWrite?: () => void): Promise<TaskOutput<N>> {
      if (signal?.aborted === true) throw cancelledError()
      running++
      try {
        return await runHere(name, input, onProgress, mayWrite)
      } finally {
        running--
      }
    }
  }

  async function runHere<N extends TaskName>(name: N, input: TaskInput<N>, onProgress?: (progress: TaskProgress) => void, mayWrite?: () => void): Promise<TaskOutput<N>> {
    const stepBack = gate?.stepOut() ?? null
    let release: (() => void) | null = null
    let taking: Promise<void> | null = null
    const beforeWriting = (): Promise<void> =>
      (taking ??= (async () => {
        release = (await gate?.acquire()) ?? null
        mayWrite?.()
      })())
    try {
      return await runTaskHere(name, input, database, onProgress, beforeWriting)
    } finally {
      const held = release as (() => void) | null
      const back = stepBack?.(held !== null)
      held?.()
      // Refused its turn back (DATABASE_BUSY after GATE_WAIT_MS): the task's outcome still stands.
      await back?.catch(() => undefined)
    }
  }
}

/** How many started workers may wait for a task at once (a fresh one started ahead, and finished ones kept). */
export const MAX_IDLE_WORKERS = 2

/**
 * Tasks in worker threads, started from the bundled worker script (worker.ts).
 * Starting a worker (loading the script and the SQLite binding) takes tens of
 * milliseconds, more than many a task, and a fresh worker runs its first task
 * cold (nothing compiled yet, the expected schema not yet read): so a worker
 * that has answered is kept for the next task, and one more is kept started
 * ahead when none is waiting, at most MAX_IDLE_WORKERS waiting in all (they are
 * unreferenced: they never keep the process alive). A task's connections are
 * its own and closed when it ends (runTaskHere), so a waiting worker holds no
 * file open. A worker whose task threw is whole and takes the next task; one
 * whose task was cancelled, or that crashed or stopped, is never given
 * another; close() ends the waiting ones. A task that says it is about to
 * write waits until no other task holds `gate`, then holds it until it ends,
 * however it ends.
 */
export function tasksInWorkers(script: string, database: TaskDatabase, gate?: WriteGate): BackgroundTasks {
  const idle: Worker[] = []
  let closed = false
  const forget = (worker: Worker): void => {
    const at = idle.indexOf(worker)
    if (at >= 0) idle.splice(at, 1)
  }
  const startWorker = (): Worker => {
    const worker = new Worker(script, { workerData: { waiting: true } satisfies WorkerWaiting })
    worker.unref()
    // A waiting worker that fails or stops is simply not used.
    worker.once('error', () => forget(worker))
    worker.once('exit', () => forget(worker))
    return worker
  }
  const take = (): Worker => {
    // The one that answered last is the warmest.
    const worker = idle.pop() ?? startWorker()
    if (!closed && idle.length === 0) idle.push(startWorker())
    worker.ref()
    return worker
  }
  const giveBack = (worker: Worker): void => {
    if (closed || idle.length >= MAX_IDLE_WORKERS) {
      void worker.terminate()
      return
    }
    worker.unref()
    idle.push(worker)
  }
  let running = 0
  return {
    close() {
      closed = true
      for (const worker of idle.splice(0)) void worker.terminate()
    },
    running: () => running,
    run<N extends TaskName>(name: N, input: TaskInput<N>, onProgress?: (progress: TaskProgress) => void, signal?: AbortSignal, mayWrite?: () => void): Promise<TaskOutput<N>> {
      return new Promise<TaskOutput<N>>((resolve, reject) => {
        if (signal?.aborted === true) return reject(cancelledError())
        running++
        let counted = true
        /** No longer under way: answered, or (stopped) once its thread has ended. */
        const uncount = (): void => {
          if (counted) running--
          counted = false
        }
        // The call awaiting this task does not count as writing meanwhile, or the task could never begin (write-gate.ts).
        const stepBack = gate?.stepOut() ?? null
        const start: WorkerStart = { name, input, database }
        const worker = take()
        let settled = false
        let release: (() => void) | null = null
        let taking: Promise<void> | null = null
        const detach = (): void => {
          signal?.removeEventListener('abort', cancel)
          worker.off('message', onMessage)
          worker.off('error', onError)
          worker.off('exit', onExit)
        }
        /**
         * Ends the run: the call counts again (at once while this task still holds the gate, so no
         * other task begins between), the gate is let go unless kept, and then the outcome is given.
         */
        const end = (outcome: () => void, keepGate = false): void => {
          settled = true
          detach()
          if (!keepGate) uncount()
          const back = stepBack?.(release !== null)
          if (!keepGate) release?.()
          if (back === undefined) outcome()
          // Refused its turn back (DATABASE_BUSY after GATE_WAIT_MS), the call goes on uncounted: the outcome stands.
          else void back.then(outcome, outcome)
        }
        /** Gives the task up with `error`: its thread is stopped, and the gate let go once it has (until then it may hold the write lock). */
        const stop = (error: unknown): void => {
          if (settled) return
          end(() => reject(error), true)
          void worker.terminate().finally(() => {
            uncount()
            release?.()
          })
        }
        const cancel = (): void => stop(cancelledError())
        const onMessage = (message: WorkerMessage): void => {
          if (message.kind === 'progress') {
            onProgress?.({ done: message.done, total: message.total })
            return
          }
          if (message.kind === 'write-begin') {
            // Once no other task writes and no call that may write is under way (write-gate.ts); a
            // task that ended meanwhile gives the gate back at once.
            taking ??= (gate?.acquire() ?? Promise.resolve(null)).then((taken) => {
              if (settled) taken?.()
              else release = taken
            })
            void taking.then(
              () => {
                if (settled) return
                try {
                  mayWrite?.()
                } catch (error) {
                  // Refused its write (its administrator's rights are gone): stopped before it began.
                  stop(error)
                  return
                }
                worker.postMessage({ kind: 'write-go' } satisfies WorkerWriteGo)
              },
              // Refused its turn (the core closed while it waited): stopped before it wrote.
              stop
            )
            return
          }
          // The task answered, or threw: either way the worker is whole and may take the next task.
          giveBack(worker)
          end(() => (message.kind === 'done' ? resolve(message.value as TaskOutput<N>) : reject(deserializeError(message.error))))
        }
        const onError = (error: Error): void => end(() => reject(error))
        const onExit = (code: number): void => end(() => reject(new Error(`The background task ${name} stopped with code ${code} before answering.`)))
        signal?.addEventListener('abort', cancel, { once: true })
        worker.on('message', onMessage)
        worker.once('error', onError)
        worker.once('exit', onExit)
        worker.postMessage(start)
      })
    }
  }
}

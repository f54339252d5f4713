// The worker thread's entry: runs the one task it was started for (tasks.ts)
// and posts its progress and its outcome. Bundled on its own (out/background/
// worker.js, and out/main/background-worker.js in the desktop app).
import { parentPort, workerData } from 'node:worker_threads'
import { runTaskHere, serializeError, type WorkerMessage, type WorkerStart } from './runner'

const start = workerData as WorkerStart
const post = (message: WorkerMessage): void => parentPort?.postMessage(message)

runTaskHere(start.name, start.input as never, start.database, ({ done, total }) => post({ kind: 'progress', done, total })).then(
  (value) => post({ kind: 'done', value }),
  (error: unknown) => post({ kind: 'error', error: serializeError(error) })
)

// The worker thread's entry: waits for the one task it is given (a WorkerStart
// message: runner.ts starts workers ahead of their tasks), runs it (tasks.ts)
// and posts its progress and its outcome. Bundled on its own (out/background/
// worker.js, and out/main/background-worker.js in the desktop app).
import { parentPort } from 'node:worker_threads'
import { runTaskHere, serializeError, type WorkerMessage, type WorkerStart } from './runner'

const post = (message: WorkerMessage): void => parentPort?.postMessage(message)

parentPort?.once('message', (start: WorkerStart) => {
  runTaskHere(start.name, start.input as never, start.database, ({ done, total }) => post({ kind: 'progress', done, total })).then(
    (value) => post({ kind: 'done', value }),
    (error: unknown) => post({ kind: 'error', error: serializeError(error) })
  )
})

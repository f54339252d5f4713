// The worker thread's entry: waits for a task (a WorkerStart message: runner.ts
// starts workers ahead of their tasks and keeps those that answered), runs it
// (tasks.ts) and posts its progress and its outcome; then waits for the next.
// The runner gives a worker one task at a time. Bundled on its own (out/background/
// worker.js, and out/main/background-worker.js in the desktop app).
import { parentPort } from 'node:worker_threads'
import { runTaskHere, serializeError, type WorkerMessage, type WorkerStart } from './runner'

const post = (message: WorkerMessage): void => parentPort?.postMessage(message)

parentPort?.on('message', (start: WorkerStart) => {
  runTaskHere(start.name, start.input as never, start.database, ({ done, total }) => post({ kind: 'progress', done, total })).then(
    (value) => post({ kind: 'done', value }),
    (error: unknown) => post({ kind: 'error', error: serializeError(error) })
  )
})

// What the chaos tests and their worker processes say to each other: a JSON
// config as the only argument, and one line per event on stdout.

export interface WorkerConfig {
  dbPath: string
  /** Prefix of the emails this worker creates, unique per process. */
  tag: string
  seed: number
  /** Stop after this many operations (0: run until killed). */
  operations: number
  /** Shared users for the lost-update check: every worker fails logins on each of them this many times. */
  failedLoginsPerTarget?: number
  targets?: string[]
}

/** Every user the workers create has this password. */
export const WORKER_PASSWORD = 'chaos monkey password'
/** Emails of shared targets start with this; workers never sign them in. */
export const TARGET_PREFIX = 'target-'

export type OperationName = 'create' | 'enforce' | 'policy' | 'enroll' | 'reset' | 'bulk' | 'failed-login'

export interface WorkerReport {
  /** Successful operations by kind. */
  done: Partial<Record<OperationName, number>>
  /** Refusals the rules allow under concurrency (a race lost cleanly), by error code. */
  expected: Record<string, number>
  /** Anything else: each one fails the test. */
  unexpected: string[]
}

/**
 * Lines on stdout: `ready`, `created EMAIL` (written after the commit, so the
 * test may hold the database to it), `report JSON` at a normal end.
 */
export function parseLine(line: string): { kind: 'ready' } | { kind: 'created'; email: string } | { kind: 'report'; report: WorkerReport } | null {
  if (line === 'ready') return { kind: 'ready' }
  if (line.startsWith('created ')) return { kind: 'created', email: line.slice('created '.length) }
  if (line.startsWith('report ')) return { kind: 'report', report: JSON.parse(line.slice('report '.length)) as WorkerReport }
  return null
}

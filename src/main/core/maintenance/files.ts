// Small file helpers that backups and restores share.
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'

/** The files SQLite keeps beside a database. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const

export function sqliteCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code
}

export function removeWithSideFiles(path: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true })
}

/** A new name beside `path`, for a file that gets its real name only once it is complete. */
export function temporaryBeside(path: string, purpose: string): string {
  return `${path}.${purpose}-${process.pid}-${randomBytes(4).toString('hex')}`
}

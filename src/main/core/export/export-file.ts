// An export's file: written owner-only (it holds the directory's emails) under
// a temporary name beside where it goes, and renamed into place only once
// complete, so an interrupted export never leaves a file that looks whole. The
// command line writes it in its own thread; the screens' exports in a worker
// thread, and the core renames it once the export is recorded in the audit log.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { AppError } from '../../../shared/errors'

/** Whether a process with this id runs (one that another user runs counts as running). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const partialPrefix = (target: string): string => `.${basename(target)}.partial-`

/** Removes what exports to `target` left when they were killed: temporary files of processes that no longer run. */
function removeAbandoned(target: string): void {
  const prefix = partialPrefix(target)
  let names: string[]
  try {
    names = readdirSync(dirname(target))
  } catch {
    return
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? name.slice(prefix.length).match(/^(\d+)-[0-9a-f]{8}$/) : null
    if (match && !running(Number(match[1]))) rmSync(join(dirname(target), name), { force: true })
  }
}

/** Where an export to `target` writes until it is complete: beside it (a rename never crosses disks), hidden, named after this process. */
export function partialPathFor(target: string): string {
  const absolute = resolve(target)
  removeAbandoned(absolute)
  return join(dirname(absolute), `${partialPrefix(absolute)}${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** Bytes gathered before one write to the file. */
const FILE_CHUNK = 64 * 1024

/** The temporary file, open for writing: text is gathered and written in chunks. */
export class PartialFile {
  private pending: string[] = []
  private size = 0
  private fd: number | null

  private constructor(
    readonly path: string,
    fd: number
  ) {
    this.fd = fd
  }

  /** Creates the file (never opens one that exists), readable and writable by its owner only. */
  static create(path: string): PartialFile {
    try {
      return new PartialFile(path, openSync(path, 'wx', 0o600))
    } catch (error) {
      throw new AppError('VALIDATION', `Cannot write in ${dirname(path)}: ${(error as Error).message}. Choose another place for the export.`)
    }
  }

  write(text: string): void {
    this.pending.push(text)
    this.size += text.length
    if (this.size >= FILE_CHUNK) this.flush()
  }

  /** Everything is written: flushed to the disk and closed (still under its temporary name). */
  complete(): void {
    this.flush()
    const fd = this.open()
    fsyncSync(fd)
    closeSync(fd)
    this.fd = null
  }

  /** Something failed: closed and removed, nothing half written is left. */
  discard(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd)
      } catch {
        // Closing a file that failed to write may fail too; it is removed either way.
      }
      this.fd = null
    }
    rmSync(this.path, { force: true })
  }

  private flush(): void {
    if (this.pending.length === 0) return
    const text = this.pending.join('')
    this.pending = []
    this.size = 0
    const fd = this.open()
    const bytes = Buffer.from(text, 'utf8')
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset)
  }

  private open(): number {
    if (this.fd === null) throw new Error('The export file is already closed.')
    return this.fd
  }
}

/**
 * Puts a complete temporary file in place. `overwrite`: the person already agreed to replace
 * a file of that name (a save dialog asked); otherwise an existing file is never replaced.
 */
export function placeExportFile(temporary: string, target: string, options: { overwrite: boolean }): void {
  if (!options.overwrite && existsSync(target)) {
    rmSync(temporary, { force: true })
    throw new AppError('VALIDATION', `${target} appeared while the export ran: nothing was replaced. Export again under another name.`)
  }
  renameSync(temporary, target)
}

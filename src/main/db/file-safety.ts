// Files the directory trusts (the database, its key) must be what they seem:
// not a symbolic link that another user could point elsewhere, and not readable
// or owned by anyone but this user. Refused with a message that says how to fix it.
import { lstatSync, type Stats } from 'node:fs'
import { AppError } from '../../shared/errors'

function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}

/** A path that must not be a symbolic link (checked before it is opened or created). */
export function assertNotSymlink(path: string, what: string): void {
  const stats = statOrNull(path)
  if (stats?.isSymbolicLink()) {
    throw new AppError('UNSAFE_FILE', `${what} ${path} is a symbolic link. Pass the real file instead: 2FA Admin does not follow links to the files it trusts.`)
  }
}

/** A secret file: a regular file of this user's, readable by them alone (POSIX; Windows keeps ACLs of its own). */
export function assertPrivateFile(
  path: string,
  what: string,
  who: { platform: NodeJS.Platform; uid: number | null } = { platform: process.platform, uid: typeof process.getuid === 'function' ? process.getuid() : null }
): void {
  assertNotSymlink(path, what)
  const stats = statOrNull(path)
  if (stats === null || who.platform === 'win32') return
  if (!stats.isFile()) throw new AppError('UNSAFE_FILE', `${what} ${path} is not a regular file.`)
  if (who.uid !== null && stats.uid !== who.uid) {
    throw new AppError('UNSAFE_FILE', `${what} ${path} belongs to another user (uid ${stats.uid}). Copy it to a file of your own with mode 600, or run as its owner.`)
  }
  if ((stats.mode & 0o077) !== 0) {
    throw new AppError('UNSAFE_FILE', `${what} ${path} can be read by other users (mode ${(stats.mode & 0o777).toString(8)}). Run: chmod 600 ${path}`)
  }
}

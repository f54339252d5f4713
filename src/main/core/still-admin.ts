// The one check a background task an administrator asked for makes of them
// itself, under its write lock (guards.ts checks every call as it begins, and the
// session when the task's turn to write comes: stillAdminWhenWriting). Its
// own module: the tasks run in the worker and import nothing of the sessions.
import { AppError } from '../../shared/errors'
import type { Database } from '../db/connection'
import * as usersRepo from '../db/users-repo'

/** An administrator who may act: the account exists, is enabled, and has the role. */
export function isActiveAdmin(user: Pick<usersRepo.UserRecord, 'disabled' | 'role'> | null): boolean {
  return user !== null && !user.disabled && user.role === 'admin'
}

/**
 * Under the write lock of a background task an administrator asked for (a bulk change, an import, a directory sync):
 * the handler checked them when it was asked for, but the task may have read a file or waited its
 * turn at the write gate since, while another administrator (here or in another process) demoted or
 * disabled them. Nothing can change it between this check and the commit. The command line (no user) is the local administrator.
 */
export function requireStillAdmin(db: Database, actorUserId: number | null): void {
  if (actorUserId === null) return
  if (!isActiveAdmin(usersRepo.findUserById(db, actorUserId))) {
    throw new AppError('FORBIDDEN', 'Your administrator rights were removed before this change could be written. Nothing was changed.')
  }
}

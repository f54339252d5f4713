// Whose password is whose: a directory user's is checked by the directory
// (a bind as them, never a stored copy), everyone else's against their hash.
import type { UserRecord } from '../../db/users-repo'
import type { CoreContext } from '../context'
import { verifyPassword } from '../crypto/passwords'
import { loadSettings } from './connection-store'
import { authenticateDirectoryUser } from './ldap-directory'

/** Whether the user can sign in with a password at all (a directory user needs their entry). */
export function hasPassword(user: UserRecord): boolean {
  return user.source === 'ldap' ? user.directoryDn !== null : user.passwordHash !== null
}

/**
 * True when `password` is the user's. A directory that cannot be asked throws
 * (DIRECTORY_UNAVAILABLE): the caller releases its guess, as for any failure that is not a wrong password.
 */
export async function verifyUserPassword(ctx: CoreContext, user: UserRecord, password: string): Promise<boolean> {
  if (user.source === 'ldap') {
    if (user.directoryDn === null) return false
    const settings = loadSettings(ctx.db, () => ctx.dataKey.get())
    if (settings === null) return false
    return authenticateDirectoryUser(settings, user.directoryDn, password)
  }
  return user.passwordHash !== null && verifyPassword(password, user.passwordHash)
}

// Where the desktop app keeps its database, computed without Electron so the
// CLI and the browser preview find the same file as the window does.
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Must match Electron's app.getPath('userData') for productName "2FA Admin". */
export const APP_DIR_NAME = '2FA Admin'
export const DATABASE_FILE_NAME = 'twofa-admin.db'

export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.length > 0 ? env.XDG_CONFIG_HOME : join(homedir(), '.config')
}

/** The desktop app's database: TWOFA_ADMIN_DB if set, else the app's user-data folder. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const fromEnv = env.TWOFA_ADMIN_DB
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv
  return join(appDataDir(env, platform), APP_DIR_NAME, DATABASE_FILE_NAME)
}

// Input limits shared by the schemas (main process) and the screens' hints.
// No runtime imports, so the renderer can use them without bundling zod.
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 1024
export const MAX_NAME_LENGTH = 200
export const MAX_EMAIL_LENGTH = 254
export const MAX_PAGE_SIZE = 500
/** The idle timeout of signed-in sessions, in minutes: the default and what an administrator may set (Account > Security). */
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 15
export const MIN_IDLE_TIMEOUT_MINUTES = 5
export const MAX_IDLE_TIMEOUT_MINUTES = 60
/** How long before the idle sign-out the screen warns ("You will be signed out in 60 s."). */
export const IDLE_WARNING_MS = 60_000

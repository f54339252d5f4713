// Input limits shared by the schemas (main process) and the screens' hints.
// No runtime imports, so the renderer can use them without bundling zod.
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 1024
export const MAX_NAME_LENGTH = 200
export const MAX_EMAIL_LENGTH = 254
export const MAX_PAGE_SIZE = 500

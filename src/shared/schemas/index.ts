// Payload schemas for every method of the contract, one file per feature
// beside its contract slice, merged here. The main process validates each call
// against these before anything else runs; the renderer may use them to show
// field errors early, but never as the rule.
import type { z } from 'zod'
import type { ApiInput, ApiMethod } from '../contract'
import { auditSchemas } from './audit'
import { bulkSchemas } from './bulk'
import { changesSchemas } from './changes'
import { directorySyncSchemas } from './directory-sync'
import { enforcementSchemas } from './enforcement'
import { enrollmentSchemas } from './enrollment'
import { exportSchemas } from './export'
import { inPersonEnrollmentSchemas } from './in-person-enrollment'
import { groupsSchemas } from './groups'
import { historySchemas } from './history'
import { myAccountSchemas } from './my-account'
import { radiusSchemas } from './radius'
import { signInSchemas } from './sign-in'
import { temporaryPassSchemas } from './temporary-pass'
import { userImportSchemas } from './user-import'
import { usersSchemas } from './users'

export { emailSchema, nameSchema, passwordSchema, recoveryCodeSchema, totpCodeSchema } from './fields'
export { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PAGE_SIZE, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../limits'

export const inputSchemas = {
  ...signInSchemas,
  ...enrollmentSchemas,
  ...myAccountSchemas,
  ...usersSchemas,
  ...enforcementSchemas,
  ...auditSchemas,
  ...changesSchemas,
  ...userImportSchemas,
  ...exportSchemas,
  ...directorySyncSchemas,
  ...radiusSchemas,
  ...groupsSchemas,
  ...historySchemas,
  ...temporaryPassSchemas,
  ...inPersonEnrollmentSchemas,
  ...bulkSchemas
} satisfies { [M in ApiMethod]: z.ZodType<unknown> }

/** Validated input: the contract's input after trimming and normalising. */
export type ValidInput<M extends ApiMethod> = ApiInput<M>

export type ParseResult<M extends ApiMethod> =
  | { ok: true; value: ValidInput<M> }
  | { ok: false; field: string | undefined; message: string }

/**
 * Only plain objects are requests. A Map, Date or typed array has no own keys,
 * so a schema without required fields would take it for "no input"; IPC's
 * structured clone can deliver such values, and none of them is a request.
 */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export function parseInput<M extends ApiMethod>(method: M, payload: unknown): ParseResult<M> {
  if (payload !== undefined && !isPlainObject(payload)) return { ok: false, field: undefined, message: 'The request has the wrong type.' }
  // An omitted payload means "no input" for the methods that take none.
  const result = inputSchemas[method].safeParse(payload === undefined ? {} : payload)
  if (result.success) return { ok: true, value: result.data as ValidInput<M> }
  const issue = result.error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined
  const message =
    issue?.code === 'unrecognized_keys'
      ? `Unexpected field ${issue.keys.map((key) => `"${key}"`).join(', ')}.`
      : issue?.code === 'invalid_type'
        ? `${field ?? 'The request'} has the wrong type.`
        : (issue?.message ?? 'The request is not valid.')
  return { ok: false, field, message }
}

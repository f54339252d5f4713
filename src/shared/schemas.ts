// Payload schemas for every method of the contract. The main process validates
// each call against these before anything else runs; the renderer may use them
// to show field errors early, but never as the rule.
import { z } from 'zod'
import type { ApiInput, ApiMethod } from './contract'
import { ENFORCEMENTS, ROLES, TWO_FACTOR_STATUSES } from './domain'

import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PAGE_SIZE, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './limits'

export { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PAGE_SIZE, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH }

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/

export const emailSchema = z
  .string()
  .trim()
  .max(MAX_EMAIL_LENGTH, 'An email address has at most 254 characters.')
  // Deliberately simple: one @, no spaces, a dot in the domain. Delivery is not our job.
  .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/, 'Enter an email address like name@example.com.')
  .transform((email) => email.toLowerCase())

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(MAX_NAME_LENGTH, 'A name has at most 200 characters.')
  .refine((name) => !CONTROL_CHARS.test(name), 'A name cannot contain control characters.')

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, 'A password has at most 1024 characters.')

/** Passwords typed at login are checked, not judged: any non-empty string up to the limit. */
const loginPasswordSchema = z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH)

/** 6 to 8 digits; spaces and dashes that apps show for readability are ignored. */
export const totpCodeSchema = z
  .string()
  .max(32)
  .transform((code) => code.replace(/[\s-]/g, ''))
  .refine((code) => /^\d{6,8}$/.test(code), 'Enter the 6-digit code from your authenticator app.')

/** Recovery codes are shown as xxxxx-xxxxx; case, spaces and the dash are ignored. */
export const recoveryCodeSchema = z
  .string()
  .max(64)
  .transform((code) => code.replace(/[\s-]/g, '').toLowerCase())
  .refine((code) => /^[a-z0-9]{10}$/.test(code), 'Enter a recovery code like abcde-12345.')

const userIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const roleSchema = z.enum(ROLES as [string, ...string[]]).transform((role) => role as (typeof ROLES)[number])
const noInput = z.object({}).strict()

export const inputSchemas = {
  getAppState: noInput,
  setupFirstAdmin: z.object({ name: nameSchema, email: emailSchema, password: passwordSchema }).strict(),
  login: z.object({ email: z.string().trim().max(MAX_EMAIL_LENGTH).toLowerCase(), password: loginPasswordSchema }).strict(),
  verifyCode: z.object({ code: totpCodeSchema }).strict(),
  verifyRecoveryCode: z.object({ code: recoveryCodeSchema }).strict(),
  logout: noInput,
  reauthenticate: z
    .object({ password: loginPasswordSchema.optional(), code: totpCodeSchema.optional() })
    .strict()
    .refine((input) => (input.password === undefined) !== (input.code === undefined), 'Enter your password or an authentication code.'),
  startEnrollment: noInput,
  confirmEnrollment: z.object({ code: totpCodeSchema }).strict(),
  getMyAccount: noInput,
  deactivateMyTwoFactor: z.object({ code: totpCodeSchema }).strict(),
  regenerateRecoveryCodes: z.object({ code: totpCodeSchema }).strict(),
  changePassword: z.object({ currentPassword: loginPasswordSchema, newPassword: passwordSchema }).strict(),
  listUsers: z
    .object({
      query: z.string().max(MAX_EMAIL_LENGTH).optional(),
      status: z.enum(TWO_FACTOR_STATUSES as [string, ...string[]]).optional(),
      sort: z.enum(['name', 'email', 'role', 'status']).optional(),
      direction: z.enum(['asc', 'desc']).optional(),
      cursor: z.string().max(2048).optional(),
      // Up to a billion: far past any directory, small enough to stay an exact integer everywhere.
      position: z.number().int().min(0).max(1_000_000_000).optional(),
      limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional()
    })
    .strict()
    .refine((input) => input.position === undefined || input.cursor === undefined, {
      message: 'Ask for a page by position or by cursor, not both.',
      path: ['position']
    }),
  getUser: z.object({ userId: userIdSchema }).strict(),
  createUser: z.object({ name: nameSchema, email: emailSchema, role: roleSchema, password: passwordSchema }).strict(),
  updateUser: z
    .object({ userId: userIdSchema, name: nameSchema.optional(), role: roleSchema.optional(), disabled: z.boolean().optional() })
    .strict(),
  setEnforce2faActivation: z.object({ userId: userIdSchema, enforce: z.boolean() }).strict(),
  setEnforcement: z.object({ userId: userIdSchema, enforcement: z.enum(ENFORCEMENTS as [string, ...string[]]) }).strict(),
  resetTwoFactor: z.object({ userId: userIdSchema }).strict(),
  unlockUser: z.object({ userId: userIdSchema }).strict(),
  getSecurityOverview: noInput,
  enforceForAllUsers: noInput,
  revokeEnforcement: noInput,
  listAudit: z
    .object({
      user: z.string().max(MAX_EMAIL_LENGTH).optional(),
      action: z.string().max(64).optional(),
      before: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional()
    })
    .strict()
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

// The fields that several features' payloads share: emails, names, passwords,
// codes and ids, each checked and normalised one way everywhere.
import { z } from 'zod'
import { ROLES } from '../domain'
import { hasHiddenCharacters } from '../text'
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../limits'

/**
 * Half of a character above U+FFFF without its other half, which a JavaScript string may hold and UTF-8
 * cannot: SQLite would keep its three bytes as they are, and what is read back (three U+FFFD), what a
 * search compares and what the search index holds would each be a different text.
 */
const LONE_SURROGATE = /[\ud800-\udfff]/u
const BROKEN_CHARACTER = 'This text holds a broken character (half of an emoji or another character above U+FFFF): type it again or paste it from elsewhere.'

export const emailSchema = z
  .string()
  .trim()
  .max(MAX_EMAIL_LENGTH, 'An email address has at most 254 characters.')
  // Deliberately simple: one @, no spaces, a dot in the domain. Delivery is not our job.
  .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/, 'Enter an email address like name@example.com.')
  .refine((email) => !hasHiddenCharacters(email), 'An email address cannot contain control or text-direction characters.')
  .refine((email) => !LONE_SURROGATE.test(email), BROKEN_CHARACTER)
  .transform((email) => email.toLowerCase())

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(MAX_NAME_LENGTH, 'A name has at most 200 characters.')
  .refine((name) => !hasHiddenCharacters(name), 'A name cannot contain control or text-direction characters.')
  .refine((name) => !LONE_SURROGATE.test(name), BROKEN_CHARACTER)

/**
 * What a search is typed as (the Users list, its counts, exports and bulk selections): any text up to the longest
 * email but NUL, which ends an SQLite full-text query where it stands (the search failed, "unterminated string");
 * no name or email can hold it.
 */
export const searchQuerySchema = z
  .string()
  .max(MAX_EMAIL_LENGTH, 'A search has at most 254 characters.')
  .refine((query) => !query.includes('\u0000'), 'A search cannot contain the character U+0000: type it again without it.')

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, 'A password has at most 1024 characters.')

/** Passwords typed at login are checked, not judged: any non-empty string up to the limit. */
export const loginPasswordSchema = z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH)

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

export const userIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
export const groupIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
export const roleSchema = z.enum(ROLES as [string, ...string[]]).transform((role) => role as (typeof ROLES)[number])
export const noInput = z.object({}).strict()

// How commands are called: flags parsed strictly (a typo is an error, never
// ignored), positionals counted, values checked, and secrets read from standard
// input. Shared by twofa-admin and `npm run serve` (src/server/serve.ts).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { emailSchema } from '../shared/schemas'
import type { CliIo } from './io'

/** A mistake in how the command was called: printed on one line, exit status 2. */
export class UsageError extends Error {}

export type Flags = Record<string, string | boolean | undefined>

export const HELP_HINT = 'Run twofa-admin --help for usage.'

export function parseFlags(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true })
    return { flags: values as Flags, positionals }
  } catch (error) {
    // node:util's messages name the flag; keep them on one line.
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'Invalid arguments.')
  }
}

/** Refuses flags the command does not take, so a typo never goes unnoticed. */
export function allowOnly(flags: Flags, command: string, allowed: readonly string[]): Flags {
  for (const key of Object.keys(flags)) {
    if (key !== 'db' && flags[key] !== undefined && !allowed.includes(key)) {
      throw new UsageError(`"${command}" does not take --${key}. ${HELP_HINT}`)
    }
  }
  return flags
}

export function expectPositionals(positionals: readonly string[], count: number, what: string): string[] {
  if (positionals.length !== count) throw new UsageError(`Expected ${what}. ${HELP_HINT}`)
  return [...positionals]
}

export function parseEmail(text: string): string {
  const parsed = emailSchema.safeParse(text)
  if (!parsed.success) throw new UsageError(`"${text}" is not a valid email address.`)
  return parsed.data
}

/** A whole number from `min` to `max`, for a flag like --limit. */
export function wholeNumber(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not "${text}".`)
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value > max) throw new UsageError(`${flag} must be at most ${max}.`)
  if (value < min) throw new UsageError(`${flag} must be at least ${min}.`)
  return value
}

/** The value of an optional whole-number flag, or undefined when it is absent. */
export function optionalWholeNumber(flags: Flags, name: string, min: number, max: number): number | undefined {
  const value = flags[name]
  return typeof value === 'string' ? wholeNumber(value, `--${name}`, min, max) : undefined
}

/**
 * A secret piped on standard input (`--password-stdin`, `--passphrase-stdin`),
 * never an argument, which other users of the machine could read in the
 * process list. One trailing newline is what `echo` adds; anything else is part of it.
 */
export async function readSecretFromStdin(
  io: CliIo,
  flags: Flags,
  flag: 'password-stdin' | 'passphrase-stdin' | 'bind-password-stdin',
  command: string
): Promise<string> {
  const what = flag === 'passphrase-stdin' ? 'passphrase' : 'password'
  if (!flags[flag]) throw new UsageError(`${command} needs --${flag}, with the ${what} piped on standard input.`)
  const stdin = await io.readStdin()
  const secret = stdin === null ? '' : stdin.replace(/\r?\n$/, '')
  if (secret.length === 0) {
    const variable = what.toUpperCase()
    throw new UsageError(`Missing ${what} on standard input: pipe it in, e.g. printf '%s' "$${variable}" | twofa-admin ${command} ... --${flag}`)
  }
  return secret
}

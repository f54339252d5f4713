// twofa-admin user temporary-pass EMAIL: issue (or revoke) a temporary access
// pass. The pass is printed once, here, and never again; the user types it where
// the password goes and can then only set a first password and activate 2FA.
import { TEMPORARY_PASS_DEFAULT_HOURS, TEMPORARY_PASS_MAX_HOURS, TEMPORARY_PASS_MIN_HOURS } from '../../shared/contract/temporary-pass'
import { visibleText } from '../../shared/text'
import { allowOnly, expectPositionals, parseEmail, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { iso } from '../output'
import { call, withCore } from '../run-core'

export const TEMPORARY_PASS_USAGE = `  user temporary-pass EMAIL [--hours N] [--once | --multi] [--json]
                                         issue a temporary access pass (printed once; single use
                                         unless --multi; ${TEMPORARY_PASS_MIN_HOURS} to ${TEMPORARY_PASS_MAX_HOURS} hours, default ${TEMPORARY_PASS_DEFAULT_HOURS}); it revokes the user's last one
  user temporary-pass EMAIL --revoke     revoke the user's temporary access pass`

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

function parseHours(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined
  const text = String(value)
  const hours = /^\d+$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(hours) || hours < TEMPORARY_PASS_MIN_HOURS || hours > TEMPORARY_PASS_MAX_HOURS) {
    throw new UsageError(`--hours must be a whole number from ${TEMPORARY_PASS_MIN_HOURS} to ${TEMPORARY_PASS_MAX_HOURS} (30 days), not "${text}".`)
  }
  return hours
}

/** `positionals`: what follows `user temporary-pass`. */
export async function temporaryPassCommand(positionals: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const flags = allowOnly(allFlags, 'user temporary-pass', ['hours', 'once', 'multi', 'revoke', 'json'])
  const [emailText] = expectPositionals(positionals, 1, 'one email: user temporary-pass EMAIL')
  const email = parseEmail(emailText ?? '')
  if (flags.once && flags.multi) throw new UsageError('Choose --once (the default) or --multi, not both.')
  if (flags.revoke && (flags.hours !== undefined || flags.once || flags.multi)) throw new UsageError('--revoke takes no --hours, --once or --multi.')
  const hours = parseHours(flags.hours)
  return withCore(dbPath, async (core) => {
    const userId = core.local.findUserIdByEmail(email)
    if (flags.revoke) {
      const user = await call(core, 'revokeTemporaryPass', { userId })
      if (flags.json) await io.stdout(`${JSON.stringify({ email: user.email, revoked: true })}\n`)
      else await io.stdout(`The temporary access pass of ${visibleText(user.email)} was revoked; a session it opened ends at its next step.\n`)
      return 0
    }
    const issued = await call(core, 'issueTemporaryPass', { userId, ...(hours === undefined ? {} : { hours }), singleUse: !flags.multi })
    const { status } = issued
    if (flags.json) {
      await io.stdout(`${JSON.stringify({ email: issued.user.email, pass: issued.pass, expiresAt: status.expiresAt, singleUse: status.singleUse })}\n`)
      return 0
    }
    await io.stdout(
      [
        `Temporary access pass for ${visibleText(issued.user.email)}: ${issued.pass}`,
        `  Valid until ${iso(status.expiresAt)} (${plural((status.expiresAt - status.issuedAt) / 3_600_000, 'hour')}), ${status.singleUse ? 'single use' : 'multi use, until 2FA is activated'}.`,
        '  It is shown only now: give it to them in person. They type it where the password goes,',
        `  then ${issued.user.source === 'ldap' ? '' : issued.user.hasPassword ? '' : 'set a password and '}activate 2FA.`
      ].join('\n') + '\n'
    )
    return 0
  })
}

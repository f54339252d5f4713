import { z } from 'zod'
import type { DirectorySyncApi } from '../contract'
import { MAX_DN_LENGTH, MAX_SYNC_GROUPS, syncGroupsProblem } from '../directory-dn'
import { hasHiddenCharacters } from '../text'
import { noInput } from './fields'
import type { SchemasFor } from './schemas-for'

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} has at most ${max} characters.`)
    .refine((value) => !hasHiddenCharacters(value), `${what} cannot contain control or text-direction characters.`)

/** ldap:// or ldaps://, a host, an optional port from 1 to 65535, nothing else (no path, user or query). */
function isLdapAddress(text: string): boolean {
  if (!/^ldaps?:\/\/[^\s/?#@]+\/?$/i.test(text)) return false
  const port = text.replace(/\/$/, '').match(/:(\d+)$/)?.[1]
  const host = text.replace(/^ldaps?:\/\//i, '').replace(/\/$/, '').replace(/:\d+$/, '')
  if (host === '' || (host.includes(':') && !/^\[[0-9a-f:.]+\]$/i.test(host))) return false
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535)
}

const attribute = z
  .string()
  .trim()
  .regex(/^(?:[A-Za-z][A-Za-z0-9-]{0,63}|\d+(?:\.\d+){1,30})$/, 'An attribute name is letters, digits and hyphens, like mail or displayName.')

/** The groups to bring in: one message for the whole list (which group, what is wrong), on the field. */
const syncGroupDns = z
  // Bounded before each DN is parsed: a list of a million is refused by its length alone.
  .array(z.string().max(MAX_DN_LENGTH * 4, `A DN has at most ${MAX_DN_LENGTH} characters.`))
  .max(MAX_SYNC_GROUPS * 20, `Bring in at most ${MAX_SYNC_GROUPS} groups.`)
  .transform((dns) => dns.map((dn) => dn.trim()).filter((dn) => dn !== ''))
  .superRefine((dns, ctx) => {
    const problem = syncGroupsProblem(dns)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })

const connection = z
  .object({
    preset: z.enum(['openldap', 'active-directory']),
    url: text(512, 'The address').refine(isLdapAddress, 'Enter the address like ldap://dc1.example.com:389 or ldaps://dc1.example.com:636.'),
    baseDn: text(1024, 'The base DN').pipe(z.string().min(1, 'Enter the base DN, like dc=example,dc=com.')),
    bindDn: text(1024, 'The bind DN'),
    bindPassword: z.string().max(1024, 'A bind password has at most 1024 characters.').optional(),
    userFilter: text(2048, 'The user filter').nullable().optional(),
    groupDn: text(1024, 'The group DN').nullable().optional(),
    syncGroupDns: syncGroupDns.optional(),
    emailAttribute: attribute.optional(),
    nameAttribute: attribute.optional(),
    loginAttribute: attribute.optional(),
    startTls: z.boolean().optional(),
    caFile: text(4096, 'The CA file').nullable().optional(),
    massDisablePercent: z.number().int().min(0).max(100).optional(),
    scheduleMinutes: z.number().int().min(5, 'Sync at most every 5 minutes.').max(10080, 'Sync at least once a week.').nullable().optional()
  })
  .strict()

export const directorySyncSchemas = {
  getDirectoryConnection: noInput,
  setDirectoryConnection: connection,
  testDirectoryConnection: z.object({ settings: connection.optional() }).strict(),
  syncDirectory: z.object({ dryRun: z.boolean(), allowMassDisable: z.boolean().optional() }).strict(),
  getDirectorySyncProgress: noInput
} satisfies SchemasFor<DirectorySyncApi>

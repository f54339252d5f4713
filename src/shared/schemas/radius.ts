import { z } from 'zod'
import type { RadiusApi } from '../contract'
import { MAX_RADIUS_SECRET_LENGTH, MIN_RADIUS_SECRET_LENGTH } from '../contract/radius'
import { parseClientAddress } from '../ip-address'
import { hasHiddenCharacters } from '../text'
import { noInput } from './fields'
import type { SchemasFor } from './schemas-for'

const clientName = z
  .string()
  .trim()
  .min(1, 'Enter a name for the client, like vpn-gateway.')
  .max(64, 'A client name has at most 64 characters.')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'A client name is letters, digits, spaces, dots, dashes and underscores.')

export const radiusSchemas = {
  listRadiusClients: noInput,
  addRadiusClient: z
    .object({
      name: clientName,
      address: z.string().trim().max(64).refine((text) => parseClientAddress(text) !== null, 'Enter an IP address or a CIDR block, like 192.0.2.10 or 10.0.0.0/8.'),
      secret: z
        .string()
        .min(MIN_RADIUS_SECRET_LENGTH, `A shared secret has at least ${MIN_RADIUS_SECRET_LENGTH} characters.`)
        .max(MAX_RADIUS_SECRET_LENGTH, `A shared secret has at most ${MAX_RADIUS_SECRET_LENGTH} characters.`)
        .refine((secret) => !hasHiddenCharacters(secret), 'A shared secret cannot contain control or text-direction characters.')
        .optional(),
      require2fa: z.boolean()
    })
    .strict(),
  removeRadiusClient: z.object({ name: clientName }).strict()
} satisfies SchemasFor<RadiusApi>

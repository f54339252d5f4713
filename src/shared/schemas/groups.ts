import { z } from 'zod'
import type { GroupsApi } from '../contract'
import { hasHiddenCharacters } from '../text'
import { graceDaysSchema } from './enforcement'
import { emailSchema, groupIdSchema, noInput } from './fields'
import type { SchemasFor } from './schemas-for'

export const MAX_GROUP_NAME_LENGTH = 200
/** Members changed in one call: a CSV column or a pasted list; more in several calls. */
export const MAX_MEMBERS_PER_CALL = 10_000

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a group name.')
  .max(MAX_GROUP_NAME_LENGTH, `A group name has at most ${MAX_GROUP_NAME_LENGTH} characters.`)
  .refine((name) => !hasHiddenCharacters(name), 'A group name cannot contain control or text-direction characters.')

const membersSchema = z
  .object({
    groupId: groupIdSchema,
    emails: z.array(emailSchema).min(1, 'Name at least one member by email.').max(MAX_MEMBERS_PER_CALL, `At most ${MAX_MEMBERS_PER_CALL} members at a time.`),
    dryRun: z.boolean().optional()
  })
  .strict()

export const groupsSchemas = {
  listGroups: noInput,
  getGroup: z.object({ groupId: groupIdSchema }).strict(),
  createGroup: z.object({ name: groupNameSchema }).strict(),
  deleteGroup: z.object({ groupId: groupIdSchema }).strict(),
  addGroupMembers: membersSchema,
  removeGroupMembers: membersSchema,
  enforceGroup: z.object({ groupId: groupIdSchema, graceDays: graceDaysSchema.optional() }).strict(),
  revokeGroupEnforcement: z.object({ groupId: groupIdSchema }).strict()
} satisfies SchemasFor<GroupsApi>

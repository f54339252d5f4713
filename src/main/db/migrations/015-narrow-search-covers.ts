// Schema 15: the narrow filters' partial indexes (migrations 12 and 14) carry
// the email too. A search within a narrow filter (administrators, locked,
// disabled, from a directory, enforced or exempt individually, few recovery
// codes left) tests each of the filter's users against the term: with the
// email in the index, and the name read from the name key (name-key.ts ends it
// with the name itself), that test reads only the index, never a user's row.
// At 10M demo users, the 20,000 administrators' rows cost 40-120 ms a search.
import type { Migration } from './migration'
import { NARROW_COVERS } from './012-user-filters'

/** Each narrow filter's index and the users it holds. */
const NARROW_INDEXES: readonly (readonly [name: string, where: string])[] = [
  ['users_locked_by_name', 'locked_until IS NOT NULL'],
  ['users_disabled_by_name', 'disabled = 1'],
  ['users_not_local_by_name', "source <> 'local'"],
  ['users_special_by_name', "role = 'admin' OR enforcement <> 'inherit'"],
  ['users_few_codes_by_name', 'has_totp = 1 AND recovery_codes_left <= 3'],
  ['users_admins_by_name', "role = 'admin'"]
]

export const narrowSearchCovers: Migration = {
  version: 15,
  description: "the narrow filters' indexes carry the email, so a search within one reads only the index",
  up(db) {
    for (const [name, where] of NARROW_INDEXES) {
      db.exec(`DROP INDEX ${name}; CREATE INDEX ${name} ON users (name_key, id, email, ${NARROW_COVERS}) WHERE ${where};`)
    }
  }
}

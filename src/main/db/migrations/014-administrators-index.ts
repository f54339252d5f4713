// Schema 14: the administrators have a partial index of their own. Until now
// the "Role: administrator" filter read the index of every user with something
// special about their enforcement (administrators, and users enforced or
// exempt individually: migration 12). A bulk enforcement (issue 13) makes that
// set a large part of the directory (1.2 million of 10 million in the demo),
// while the administrators stay a few thousand at most: their list, their
// count and a search among them now read only them.
import type { Migration } from './migration'
import { NARROW_COVERS } from './012-user-filters'

export const administratorsIndex: Migration = {
  version: 14,
  description: 'a partial index of the administrators, for the role filter',
  up(db) {
    db.exec(`CREATE INDEX users_admins_by_name ON users (name_key, id, ${NARROW_COVERS}) WHERE role = 'admin';`)
  }
}

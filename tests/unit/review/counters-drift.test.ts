// Review of issue 12: the counters of migration 8 (class_counts per 'base@set',
// individual_deadline_counts, users.group_set from group_members) against a
// full recount, after the row changes the brief names: a user deleted while in
// groups, a group deleted (ON DELETE CASCADE), memberships removed and re-added,
// role changes, a credential deleted/added, the deadline alone moved, several
// columns in one UPDATE, and a group id reused after a delete.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { addMember, deleteGroup, insertGroup, removeMember } from '../../../src/main/db/groups-repo'
import { deleteCredential, insertCredential } from '../../../src/main/db/totp-repo'
import { TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

const MEMBERS_OF_U = '(SELECT json_group_array(group_id) FROM (SELECT group_id FROM group_members m WHERE m.user_id = u.id ORDER BY group_id))'

function check(label: string): void {
  const db = env.db
  // 1. users.group_set names exactly the user's memberships.
  const wrongSets = db
    .prepare(`SELECT u.id, u.group_set, ${MEMBERS_OF_U} AS real, (SELECT members FROM group_sets s WHERE s.id = u.group_set) AS stored FROM users u`)
    .all()
    .filter((r) => (r as { real: string; stored: string }).real !== (r as { real: string; stored: string }).stored)
  expect(wrongSets, `${label}: group_set`).toEqual([])
  // 2. class_counts equals a recount of the generated column.
  const counted = new Map((db.prepare('SELECT tfa_class, users FROM class_counts WHERE users > 0').all() as { tfa_class: string; users: number }[]).map((r) => [r.tfa_class, r.users]))
  const real = new Map((db.prepare('SELECT tfa_class, count(*) AS n FROM users GROUP BY tfa_class').all() as { tfa_class: string; n: number }[]).map((r) => [r.tfa_class, r.n]))
  expect(counted, `${label}: class_counts`).toEqual(real)
  // 3. individual_deadline_counts equals a recount.
  const deadlines = db.prepare('SELECT tfa_class, deadline, users FROM individual_deadline_counts ORDER BY 1, 2').all()
  const realDeadlines = db
    .prepare(
      `SELECT tfa_class, coalesce(enforcement_deadline, 0) AS deadline, count(*) AS users FROM users
       WHERE enforcement = 'enforced' AND role <> 'admin' AND has_totp = 0 GROUP BY 1, 2 ORDER BY 1, 2`
    )
    .all()
  expect(deadlines, `${label}: individual_deadline_counts`).toEqual(realDeadlines)
  // 4. No group_set_groups row of a group set in use names a group that does not exist.
  const ghosts = db
    .prepare(
      `SELECT DISTINCT g.group_id FROM users u JOIN group_set_groups g ON g.set_id = u.group_set
       WHERE NOT EXISTS (SELECT 1 FROM groups x WHERE x.id = g.group_id)`
    )
    .all()
  expect(ghosts, `${label}: sets in use naming deleted groups`).toEqual([])
}

function insertUser(i: number, role = 'user', enforcement = 'inherit', deadline: number | null = null): number {
  return Number(
    env.db
      .prepare("INSERT INTO users (name, email, role, enforcement, enforcement_deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)")
      .run(`U${i}`, `u${i}@example.com`, role, enforcement, deadline).lastInsertRowid
  )
}

const credential = (userId: number) =>
  insertCredential(env.db, { userId, secretEnc: Buffer.alloc(40), algorithm: 'SHA1', digits: 6, period: 30, confirmedAt: 1, lastUsedStep: null })

describe('the counters after each kind of row change', () => {
  it('stay exact through deletes, cascades, multi-column updates and re-adds', () => {
    const db = env.db
    const ids = Array.from({ length: 8 }, (_, i) => insertUser(i, 'user', i % 3 === 0 ? 'enforced' : 'inherit', i % 3 === 0 ? 1000 * i : null))
    const g1 = insertGroup(db, { name: 'G1', now: 0 })
    const g2 = insertGroup(db, { name: 'G2', now: 0 })
    const g3 = insertGroup(db, { name: 'G3', now: 0 })
    for (const id of ids) {
      addMember(db, g1, id)
      if (id % 2 === 0) addMember(db, g2, id)
    }
    addMember(db, g3, ids[0]!)
    check('after adding')

    db.prepare('DELETE FROM users WHERE id = ?').run(ids[0]!)
    check('user in three groups deleted')

    deleteGroup(db, g2)
    check('group deleted (cascade)')

    removeMember(db, g1, ids[3]!)
    addMember(db, g1, ids[3]!)
    check('membership removed and re-added')

    db.prepare("UPDATE users SET role = 'admin' WHERE id = ?").run(ids[3]!)
    check('role to admin (individually enforced)')
    db.prepare("UPDATE users SET role = 'user' WHERE id = ?").run(ids[3]!)
    check('role back to user')

    db.prepare('UPDATE users SET enforcement_deadline = 99 WHERE id = ?').run(ids[6]!)
    check('deadline alone moved')

    db.prepare("UPDATE users SET enforcement = 'enforced', role = 'admin', enforcement_deadline = 5, name = 'x' WHERE id = ?").run(ids[1]!)
    check('several columns at once')
    db.prepare("UPDATE users SET enforcement = 'exempt', role = 'user', enforcement_deadline = NULL WHERE id = ?").run(ids[1]!)
    check('several columns back')

    credential(ids[6]!)
    check('credential added to an individually enforced member')
    deleteCredential(db, ids[6]!)
    check('credential deleted')

    // The highest group is deleted and a new one made: it must not inherit the deleted one's id.
    deleteGroup(db, g3)
    const g4 = insertGroup(db, { name: 'G4', now: 0 })
    addMember(db, g4, ids[2]!)
    check('a group made after a delete')
    // groups.id is AUTOINCREMENT: a new group never takes a deleted one's id (nor its stale group sets).
    expect(g4).toBeGreaterThan(g3)

    // Many random operations, checked after each.
    const random = seededRandom(7)
    const groups = [g1, g4]
    const alive = new Set(ids.slice(1))
    for (let step = 0; step < 300; step++) {
      const id = [...alive][Math.floor(random() * alive.size)]!
      const pick = random()
      if (pick < 0.2) addMember(db, groups[Math.floor(random() * groups.length)]!, id)
      else if (pick < 0.35) removeMember(db, groups[Math.floor(random() * groups.length)]!, id)
      else if (pick < 0.45) {
        if (db.prepare('SELECT 1 FROM totp_credentials WHERE user_id = ?').get(id)) deleteCredential(db, id)
        else credential(id)
      } else if (pick < 0.6) db.prepare('UPDATE users SET enforcement = ?, enforcement_deadline = ? WHERE id = ?').run(['inherit', 'enforced', 'exempt'][Math.floor(random() * 3)]!, Math.floor(random() * 5) * 1000, id)
      else if (pick < 0.7) db.prepare('UPDATE users SET role = ? WHERE id = ?').run(random() < 0.5 ? 'admin' : 'user', id)
      else if (pick < 0.75) db.prepare('UPDATE users SET enforcement_deadline = ? WHERE id = ?').run(random() < 0.3 ? null : Math.floor(random() * 5) * 1000, id)
      else if (pick < 0.8 && groups.length > 1) {
        const gone = groups.splice(Math.floor(random() * groups.length), 1)[0]!
        deleteGroup(db, gone)
      } else if (pick < 0.85) groups.push(insertGroup(db, { name: `R${step}`, now: 0 }))
      else if (pick < 0.88 && alive.size > 2) {
        db.prepare('DELETE FROM users WHERE id = ?').run(id)
        alive.delete(id)
      } else if (pick < 0.92) alive.add(insertUser(1000 + step, 'user', random() < 0.5 ? 'enforced' : 'inherit', 7))
      check(`random step ${step}`)
    }
  })
})

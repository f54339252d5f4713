// Review of issue 12: jumps to a position (signposts, kept exact from the key
// change log) after group membership changes move users between 'base@set'
// classes, a group is enforced, credentials come and go and roles change; with
// more than SIGNPOST_EVERY (1,024) rows per range so the kept positions matter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TwoFactorFilter, UserSortKey } from '../../../src/shared/domain'
import { seededRandom } from '../../../src/main/core/demo/demo-directory'
import { addMember, insertGroup, removeMember } from '../../../src/main/db/groups-repo'
import { deleteCredential, insertCredential } from '../../../src/main/db/totp-repo'
import { TestEnv } from '../helpers/harness'

let env: TestEnv
let groups: number[] = []
const N = 3000

beforeAll(() => {
  env = new TestEnv()
  const db = env.db
  const random = seededRandom(99)
  db.transaction(() => {
    const insert = db.prepare("INSERT INTO users (name, email, role, created_at, updated_at) VALUES (?, ?, ?, 0, 0)")
    for (let i = 0; i < N; i++) insert.run(`N${Math.floor(random() * 500)}`, `e${i}@example.com`, random() < 0.05 ? 'admin' : 'user')
    groups = [insertGroup(db, { name: 'A', now: 0 }), insertGroup(db, { name: 'B', now: 0 })]
    for (let id = 1; id <= N; id++) if (random() < 0.4) addMember(db, groups[0]!, id)
  })()
})
afterAll(() => env.dispose())

async function cursorList(input: { status?: TwoFactorFilter; groupId?: number; sort: UserSortKey; direction: 'asc' | 'desc' }): Promise<number[]> {
  const ids: number[] = []
  let cursor: string | undefined
  do {
    const page = await env.cli('listUsers', { ...input, limit: 500, ...(cursor ? { cursor } : {}) })
    ids.push(...page.users.map((u) => u.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return ids
}

const CASES: { status?: TwoFactorFilter; groupId?: () => number; sort: UserSortKey; direction: 'asc' | 'desc' }[] = [
  { sort: 'name', direction: 'asc' },
  { status: 'pending', sort: 'name', direction: 'asc' },
  { status: 'inactive', sort: 'email', direction: 'desc' },
  { status: 'pending', sort: 'role', direction: 'asc' },
  { sort: 'status', direction: 'asc' },
  { sort: 'status', direction: 'desc' },
  { groupId: () => groups[0]!, sort: 'name', direction: 'asc' },
  { groupId: () => groups[0]!, status: 'pending', sort: 'status', direction: 'desc' }
]

async function checkPositions(label: string): Promise<void> {
  for (const c of CASES) {
    const input = { status: c.status, groupId: c.groupId?.(), sort: c.sort, direction: c.direction }
    const expected = await cursorList(input)
    for (const position of [0, 1, 1023, 1024, 1025, 1500, 2047, 2049, expected.length - 3]) {
      if (position < 0 || position > expected.length) continue
      const page = await env.cli('listUsers', { ...input, limit: 3, position })
      expect(page.users.map((u) => u.id), `${label} ${JSON.stringify(input)} @${position}`).toEqual(expected.slice(position, position + 3))
    }
  }
}

describe('positions stay exact', () => {
  it('after class changes by membership, enforcement, credentials and roles', async () => {
    await env.cli('enforceForAllUsers', {})
    await checkPositions('built')
    const db = env.db
    const random = seededRandom(5)
    db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        const id = 1 + Math.floor(random() * N)
        const r = random()
        if (r < 0.3) addMember(db, groups[1]!, id)
        else if (r < 0.5) removeMember(db, groups[0]!, id)
        else if (r < 0.7) {
          if (!deleteCredential(db, id)) insertCredential(db, { userId: id, secretEnc: Buffer.alloc(40), algorithm: 'SHA1', digits: 6, period: 30, confirmedAt: 1, lastUsedStep: null })
        } else if (r < 0.8) db.prepare('UPDATE users SET role = ? WHERE id = ?').run(random() < 0.5 ? 'admin' : 'user', id)
        else db.prepare("UPDATE users SET enforcement = ? WHERE id = ?").run(random() < 0.5 ? 'exempt' : 'inherit', id)
      }
    })()
    await env.cli('enforceGroup', { groupId: groups[1]! })
    await env.cli('setPolicyExemptionGroup', { groupId: groups[0]! })
    await checkPositions('after changes')
    // A group deleted: every member's class moves at once (cascade).
    await env.cli('deleteGroup', { groupId: groups[0]! })
    await checkPositions('after a group delete')
  })
})

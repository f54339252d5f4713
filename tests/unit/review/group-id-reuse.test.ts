// Review of issue 12: groups.id is INTEGER PRIMARY KEY without AUTOINCREMENT, so
// a deleted group's id is handed to the next group created. A screen (or a
// script) still holding the old id then enforces, exempts or deletes another group.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addUser, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
})
afterEach(() => env.dispose())

describe('a deleted group’s id', () => {
  it('is not given to the next group, so a stale id answers NOT_FOUND instead of acting on another group', async () => {
    await addUser(env, 'ceo@example.com')
    const contractors = await env.cli('createGroup', { name: 'Contractors' })
    // One admin has Contractors open; another deletes it and creates Executives.
    await env.cli('deleteGroup', { groupId: contractors.id })
    const executives = await env.cli('createGroup', { name: 'Executives' })
    await env.cli('addGroupMembers', { groupId: executives.id, emails: ['ceo@example.com'] })
    await env.cli('enforceForAllUsers', {})
    // The stale page's "Exempt from the policy" with the id it holds:
    const result = await env.core.dispatch('setPolicyExemptionGroup', { kind: 'cli' }, { groupId: contractors.id })
    const exempted = result.ok ? result.value.exemptionGroup?.name : result.error.code
    expect(exempted, 'the stale id of Contractors exempted Executives').toBe('NOT_FOUND')
  })
})

// twofa-admin group ..., enforce-all --grace-days, user enforce --grace-days,
// user show --json "deadline", status --json "overdue" (issue 12).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'

let cli: CliSandbox
beforeEach(async () => {
  cli = new CliSandbox()
  expect((await cli.run(['init'])).code).toBe(0)
  for (const name of ['ana', 'ben', 'cho']) {
    const added = await cli.run(['user', 'add', '--name', name, '--email', `${name}@example.com`, '--password-stdin'], 'correct horse battery\n')
    expect(added.code, added.err).toBe(0)
  }
})
afterEach(() => cli.dispose())

const json = async (args: string[]) => {
  const run = await cli.run([...args, '--json'])
  expect(run.code, run.err).toBe(0)
  return JSON.parse(run.out) as Record<string, unknown>
}

describe('twofa-admin groups and deadlines', () => {
  it('makes a group, adds members with a dry run first, enforces it with a grace period, and lists it', async () => {
    expect((await cli.run(['group', 'add', 'Sales'])).code).toBe(0)
    const dry = await cli.run(['group', 'members', 'add', 'Sales', 'ana@example.com', 'ben@example.com', '--dry-run'])
    expect(dry).toMatchObject({ code: 0, out: 'Sales: would add 2 (0 already members).\n' })
    expect(await cli.run(['group', 'members', 'add', 'sales', 'ana@example.com', 'ben@example.com'])).toMatchObject({ code: 0 })
    const enforced = await cli.run(['group', 'enforce', 'Sales', '--grace-days', '14'])
    expect(enforced.code, enforced.err).toBe(0)
    expect(enforced.out).toMatch(/^2FA is now enforced for Sales: 2 of 2 must activate it \(0 at their next login; due by \d{4}-\d{2}-\d{2}T/)
    const [sales] = (await json(['group', 'list'])) as unknown as Record<string, unknown>[]
    expect(sales).toMatchObject({ name: 'Sales', members: 2, enforced: true, pending: 2, overdue: 0, inactive: 0 })
    const ana = await json(['user', 'show', 'ana@example.com'])
    expect(ana).toMatchObject({ status: 'pending', enforcementSource: 'group', overdue: false, groups: ['Sales'] })
    expect(ana.deadline).toBe(sales!.deadline)
    expect(await json(['user', 'show', 'cho@example.com'])).toMatchObject({ status: 'inactive', deadline: null, groups: [] })
    const listed = await cli.run(['user', 'list', '--group', 'Sales', '--json'])
    expect((JSON.parse(listed.out) as { email: string }[]).map((user) => user.email)).toEqual(['ana@example.com', 'ben@example.com'])
    // Adding a member to the enforced group says what it does.
    expect((await cli.run(['group', 'members', 'add', 'Sales', 'cho@example.com'])).out).toBe(
      'Sales: added 1 (0 already members); 1 now have to activate 2FA, 0 of them at their next login.\n'
    )
    expect((await cli.run(['group', 'revoke', 'Sales'])).code).toBe(0)
    expect(await json(['status'])).toMatchObject({ pending: 0, overdue: 0 })
  })

  it('enforce-all --grace-days and user enforce --grace-days set deadlines; status --json counts the overdue', async () => {
    expect((await cli.run(['enforce-all', '--grace-days', '30'])).code).toBe(0)
    expect((await cli.run(['user', 'enforce', 'ana@example.com'])).out).toMatch(/^ana@example.com: 2FA enforced, activation pending; enforcement enforced; overdue since /)
    const status = await json(['status'])
    expect(status).toMatchObject({ total: 3, pending: 3, overdue: 1, enforcedForAll: true })
    expect(typeof status.deadline).toBe('string')
    const ben = await json(['user', 'show', 'ben@example.com'])
    expect(ben).toMatchObject({ enforcementSource: 'policy', overdue: false, deadline: status.deadline })
    expect((await cli.run(['user', 'list', '--status', 'overdue', '--json'])).out).toContain('ana@example.com')
    // Again with 0 days: the deadline moves to now for everyone the policy covers.
    expect((await cli.run(['enforce-all', '--grace-days', '0'])).code).toBe(0)
    expect(await json(['status'])).toMatchObject({ pending: 3, overdue: 3 })
  })

  it('exempts a group from the policy, and refuses bad input with a clear message and no change', async () => {
    await cli.run(['group', 'add', 'Contractors'])
    await cli.run(['group', 'members', 'add', 'Contractors', 'cho@example.com'])
    await cli.run(['enforce-all'])
    expect((await cli.run(['group', 'exempt-from-policy', 'Contractors'])).code).toBe(0)
    expect(await json(['status'])).toMatchObject({ pending: 2, exemptionGroup: 'Contractors' })
    for (const [args, message] of [
      [['enforce-all', '--grace-days=-1'], /--grace-days must be a whole number/],
      [['enforce-all', '--grace-days', '400'], /--grace-days must be at most 365/],
      [['group', 'enforce', 'Nobody'], /No group named Nobody/],
      [['group', 'members', 'add', 'Contractors', 'nobody@example.com'], /No user with the email nobody@example.com. Nothing was changed./],
      [['group', 'add', 'contractors'], /A group named contractors already exists/],
      [['group', 'members', 'move', 'Contractors'], /group members add\|remove/]
    ] as const) {
      const run = await cli.run([...args])
      expect(run.code, args.join(' ')).not.toBe(0)
      expect(run.err, args.join(' ')).toMatch(message)
    }
    expect(await json(['status'])).toMatchObject({ pending: 2, exemptionGroup: 'Contractors' })
    expect((await cli.run(['group', 'exempt-from-policy', '--none'])).code).toBe(0)
    expect(await json(['status'])).toMatchObject({ pending: 3, exemptionGroup: null })
  })
})

// Account > Groups, "Confirm it's you": enforcing a group, and taking a member
// out of an enforced group (already its dry run), ask for the password after
// the re-authentication window, then go through; cancelling changes nothing.
// The preview runs with TWOFA_ADMIN_REAUTH_WINDOW_MS=2000 (it can only shorten the 5 minutes).
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'

const WINDOW_MS = 2_000

let world: World
worldForEachTest((started) => (world = started), { env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(WINDOW_MS) } })

const groups = () => JSON.parse(world.preview.cli(['group', 'list', '--json']).stdout) as { name: string; enforced: boolean; members: number }[]

describe("Account > Groups: Confirm it's you", () => {
  it('asks before enforcing a group and before taking a member out of it, then goes through', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA])
    const page = admin.page
    expect(world.preview.cli(['group', 'add', 'Sales']).code).toBe(0)
    expect(world.preview.cli(['group', 'members', 'add', 'Sales', MARIA.email]).code).toBe(0)
    await admin.goTo('Groups')
    await page.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'Sales' }).click()
    await admin.expectShield(MARIA.email, '2FA not active')
    await page.waitForTimeout(WINDOW_MS + 500)

    // Enforce at the next login: the preview needs no confirmation, enforcing does; cancelling changes nothing.
    await page.getByRole('button', { name: 'Enforce 2FA for this group' }).click()
    const enforce = page.getByRole('dialog', { name: 'Enforce 2FA for Sales' })
    await enforce.getByRole('button', { name: 'Continue' }).click()
    await enforce.getByText('1 user will have to activate 2FA; 1 of them is overdue immediately.').waitFor()
    await enforce.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await admin.reauthDialog().waitFor({ state: 'visible' })
    await admin.reauthDialog().getByRole('button', { name: 'Cancel', exact: true }).click()
    await enforce.getByRole('alert').filter({ hasText: "Confirm it's you" }).waitFor()
    expect(groups()[0]?.enforced).toBe(false)
    await enforce.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await admin.confirmItsYou({ password: ADMIN.password })
    await enforce.waitFor({ state: 'hidden' })
    await page.getByText('2FA is now enforced for Sales. Members without 2FA have to activate it at their next login.').waitFor()
    await admin.expectShield(MARIA.email, '2FA enforced, activation pending')

    // Out of the enforced group: its dry run already asks, then says what it does.
    await page.waitForTimeout(WINDOW_MS + 500)
    await page.getByRole('button', { name: `Remove ${MARIA.name} from Sales` }).click()
    await admin.confirmItsYou({ password: ADMIN.password })
    const remove = page.getByRole('dialog', { name: `Remove ${MARIA.name} from Sales?` })
    await remove.getByText(`${MARIA.name} will no longer have to activate 2FA.`).waitFor()
    await remove.getByRole('button', { name: 'Remove member' }).click()
    await remove.waitFor({ state: 'hidden' })
    await page.getByText('Removed 1 member from Sales. 1 no longer has to activate 2FA.').waitFor()
    expect(groups()[0]).toMatchObject({ enforced: true, members: 0 })
    await page.getByText('No members yet.').waitFor()
  })
})

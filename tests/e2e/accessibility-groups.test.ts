// Accessibility (issue 13): axe-core's WCAG 2.2 A/AA rules find nothing on
// Account > Groups (the list, a group's details, and every group dialog with
// its errors and dry runs), on the in-person hand-over (identify, enroll,
// unlock) and on "Confirm it's you".
import type { Locator } from 'playwright-core'
import { afterEach, describe, it } from 'vitest'
import type { AppPage } from './pages/app-page'
import { expectNoViolations } from './support/axe'
import { ADMIN, firstRunAdmin, MARIA, TOM, World } from './support/fixtures'

/** Shortened from 5 minutes (it can only be shortened), so that "Confirm it's you" shows. */
const REAUTH_WINDOW_MS = 2_000

let world: World
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await world.captureFailure(context.task.name)
  await world.stop()
})

const check = (person: AppPage, where: string) => expectNoViolations(person.page, where)

async function cancel(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
}

describe("accessibility of Groups, Confirm it's you and the hand-over", () => {
  it('Groups: empty, Create group, the list, a group, Add members, Enforce, Revoke, Remove member and Delete group', async () => {
    world = await World.start()
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    const page = admin.page
    await admin.goTo('Groups')
    await admin.heading('No groups yet').waitFor()
    await check(admin, 'Groups, none yet')

    await page.getByRole('button', { name: 'Create group' }).click()
    const create = page.getByRole('dialog', { name: 'Create group' })
    await check(admin, 'the Create group dialog')
    await create.getByRole('button', { name: 'Create group' }).click()
    await create.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
    await check(admin, 'the Create group dialog, no name')
    await create.getByLabel('Name').fill('Sales')
    await create.getByRole('button', { name: 'Create group' }).click()
    await create.waitFor({ state: 'hidden' })
    await page.getByRole('table', { name: 'Groups' }).waitFor()
    await check(admin, 'Groups, one group')

    await page.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'Sales' }).click()
    await page.getByText('No members yet.').waitFor()
    await check(admin, 'a group without members')

    await page.getByRole('button', { name: 'Add members' }).click()
    const add = page.getByRole('dialog', { name: 'Add members to Sales' })
    await check(admin, 'the Add members dialog')
    await add.getByLabel('Emails').fill('nobody@example.com')
    await add.getByRole('button', { name: 'Check the effect' }).click()
    await add.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
    await check(admin, 'the Add members dialog, an unknown email')
    await add.getByLabel('Emails').fill(`${MARIA.email}\n${TOM.email}`)
    await add.getByRole('button', { name: 'Check the effect' }).click()
    await add.getByRole('status').filter({ hasText: 'will be added' }).waitFor()
    await check(admin, 'the Add members dialog, the effect')
    await add.getByRole('button', { name: 'Add 2 members' }).click()
    await add.waitFor({ state: 'hidden' })
    await page.getByRole('table', { name: 'Members of Sales' }).waitFor()
    await check(admin, 'a group with members')

    await page.getByRole('button', { name: 'Enforce 2FA for this group' }).click()
    const enforce = page.getByRole('dialog', { name: 'Enforce 2FA for Sales' })
    await check(admin, 'the Enforce 2FA for a group dialog')
    const days = enforce.getByRole('spinbutton', { name: /days to activate 2FA/ })
    await days.fill('400')
    await enforce.getByRole('button', { name: 'Continue' }).click()
    await enforce.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
    await check(admin, 'the Enforce 2FA for a group dialog, days out of range')
    await days.fill('7')
    await enforce.getByRole('button', { name: 'Continue' }).click()
    await enforce.getByRole('status').filter({ hasText: 'will have to activate 2FA' }).waitFor()
    await check(admin, 'the Enforce 2FA for a group dialog, who it concerns')
    await enforce.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await enforce.waitFor({ state: 'hidden' })
    await admin.expectShield(MARIA.email, '2FA enforced, activation pending')
    await check(admin, 'an enforced group')

    await page.getByRole('button', { name: 'Revoke enforcement' }).click()
    const revoke = page.getByRole('dialog', { name: 'Revoke enforcement for Sales?' })
    await revoke.getByText(/will no longer have to activate 2FA/).waitFor()
    await check(admin, 'the Revoke enforcement for a group dialog')
    await cancel(revoke)
    await page.getByRole('button', { name: `Remove ${TOM.name} from Sales` }).click()
    const remove = page.getByRole('dialog', { name: `Remove ${TOM.name} from Sales?` })
    await remove.getByText(/no longer have to activate 2FA|does not change/).first().waitFor()
    await check(admin, 'the Remove member dialog')
    await cancel(remove)
    await page.getByRole('button', { name: 'Delete group', exact: true }).click()
    const deleteGroup = page.getByRole('dialog', { name: 'Delete Sales?' })
    await deleteGroup.getByRole('button', { name: 'Delete group', exact: true }).waitFor()
    await check(admin, 'the Delete group dialog')
    await cancel(deleteGroup)
    await page.getByRole('switch', { name: 'Exempt from "Enforce 2FA for all users"' }).click()
    await page.getByText('This is the exemption group', { exact: false }).waitFor()
    await check(admin, 'the exemption group')

    await page.getByRole('button', { name: '← Back to the groups' }).click()
    await page.getByRole('table', { name: 'Groups' }).getByRole('row').filter({ hasText: /Enforced, activation due by/ }).waitFor()
    await check(admin, 'Groups, an enforced group')
  })

  it("Confirm it's you by password and by code, then the in-person hand-over: identify, enroll, unlock", async () => {
    world = await World.start({ env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(REAUTH_WINDOW_MS) } })
    const { admin } = await firstRunAdmin(world, [MARIA])
    const page = admin.page
    await admin.openUser(MARIA.name)
    const enrollInPerson = page.getByRole('region', { name: 'Security' }).getByRole('button', { name: 'Enroll in person', exact: true })

    // The sign-in is older than the window now: the hand-over asks "Confirm it's you" first.
    await page.waitForTimeout(REAUTH_WINDOW_MS + 500)
    await enrollInPerson.click()
    const reauth = admin.reauthDialog()
    await reauth.waitFor()
    await check(admin, "Confirm it's you")
    await admin.confirmItsYou({ password: 'not my password at all' })
    await reauth.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
    await check(admin, "Confirm it's you, a wrong password")
    await reauth.getByRole('button', { name: 'Use an authentication code instead' }).click()
    await reauth.getByLabel('Authentication code').waitFor()
    await check(admin, "Confirm it's you, by code")
    await admin.confirmItsYou({ password: ADMIN.password })
    await reauth.waitFor({ state: 'hidden' })

    await page.getByLabel('Your password or temporary access pass').waitFor()
    await check(admin, 'Enroll in person: the user proves who they are')
    await page.getByLabel('Your password or temporary access pass').fill('not her password')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await admin.alert().filter({ hasText: /not correct/ }).waitFor()
    await check(admin, 'Enroll in person: a wrong password')
    await page.getByLabel('Your password or temporary access pass').fill(MARIA.password)
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByAltText('QR code for your authenticator app').waitFor({ state: 'visible' })
    await check(admin, 'Enroll in person: the QR code')
    await admin.activateTwoFactor(() => check(admin, 'Enroll in person: the recovery codes'))
    const unlock = page.getByRole('form', { name: 'Unlock' })
    await unlock.waitFor()
    await check(admin, 'Enroll in person: the unlock form')
    await unlock.getByLabel('Administrator password').fill(MARIA.password)
    await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
    await admin.alert().filter({ hasText: /not the password of/ }).waitFor()
    await check(admin, 'Enroll in person: the unlock form, a wrong password')
    await unlock.getByLabel('Administrator password').fill(ADMIN.password)
    await unlock.getByRole('button', { name: 'Unlock', exact: true }).click()
    await admin.heading('Security').waitFor()
    await page.getByRole('region', { name: 'Security' }).getByText('2FA active').first().waitFor()
    await check(admin, 'User details after the hand-over')
  })
})

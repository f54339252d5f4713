// "Confirm it's you" end to end: a sensitive action after the re-authentication
// window asks for the password or a code, then goes through. The preview runs
// with TWOFA_ADMIN_REAUTH_WINDOW_MS=2000 (it can only shorten the 5 minutes), so
// the test waits seconds, not minutes, on the server's real clock.
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { ADMIN, firstRunAdmin, MARIA, worldForEachTest } from './support/fixtures'
import { totpCode } from './support/totp'

const WINDOW_MS = 2_000

let world: World
worldForEachTest((started) => (world = started), { env: { TWOFA_ADMIN_REAUTH_WINDOW_MS: String(WINDOW_MS) } })

describe("Confirm it's you", () => {
  it('after the window, Enforce and Revoke for all users ask for the password or a code, then go through', async () => {
    const { admin, secret } = await firstRunAdmin(world, [MARIA])
    await admin.goTo('Security')
    await admin.page.waitForTimeout(WINDOW_MS + 500)

    // Enforce: asked again; a wrong password is refused in the dialog, the right one completes the action.
    await admin.page.getByRole('button', { name: 'Enforce 2FA for all users', exact: true }).click()
    const enforceDialog = admin.page.getByRole('dialog', { name: 'Enforce 2FA for all users?' })
    await enforceDialog.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
    await admin.confirmItsYou({ password: 'not my password at all' })
    await admin.reauthDialog().getByRole('alert').filter({ hasText: 'That password is not correct.' }).waitFor()
    await admin.confirmItsYou({ password: ADMIN.password })
    await admin.reauthDialog().waitFor({ state: 'hidden' })
    await enforceDialog.waitFor({ state: 'hidden' })
    await admin.successMessage().filter({ hasText: '2FA is now enforced for all users' }).waitFor()
    await admin.page.getByRole('button', { name: 'Revoke enforcement', exact: true }).waitFor()

    // Revoke: cancelling changes nothing and says why; then a fresh code from the authenticator.
    await admin.page.waitForTimeout(WINDOW_MS + 500)
    await admin.page.getByRole('button', { name: 'Revoke enforcement', exact: true }).click()
    const revokeDialog = admin.page.getByRole('dialog', { name: 'Revoke enforcement for all users?' })
    await revokeDialog.getByRole('button', { name: 'Revoke', exact: true }).click()
    await admin.reauthDialog().waitFor({ state: 'visible' })
    await admin.reauthDialog().getByRole('button', { name: 'Cancel', exact: true }).click()
    await revokeDialog.getByRole('alert').filter({ hasText: "Confirm it's you" }).waitFor()
    expect(JSON.parse(world.preview.cli(['status', '--json']).stdout)).toMatchObject({ enforcedForAll: true })

    // The enrollment used this 30-second step's code: the next step's code is within the window and newer.
    await revokeDialog.getByRole('button', { name: 'Revoke', exact: true }).click()
    await admin.confirmItsYou({ code: totpCode(secret, 1) })
    await revokeDialog.waitFor({ state: 'hidden' })
    await admin.successMessage().filter({ hasText: 'Enforcement for all users was revoked.' }).waitFor()
    expect(JSON.parse(world.preview.cli(['status', '--json']).stdout)).toMatchObject({ enforcedForAll: false })

    const audit = JSON.parse(world.preview.cli(['audit', '--json']).stdout) as { action: string; details: Record<string, unknown> }[]
    const confirmations = audit.filter((entry) => entry.action === 'session.reauthenticated').map((entry) => entry.details.method)
    expect(confirmations.sort()).toEqual(['password', 'totp'])
  })
})

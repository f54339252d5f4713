// The screenshots of Account > RADIUS clients: the empty state, the Add client
// dialog (and an address it refuses), the generated secret shown once, the
// list, the confirmation before removing, at 1280 and 900 px wide.

/** Answers "Confirm it's you" with the password when the action asks for it, then waits for `done`. */
async function confirmIfAsked(page, password, done) {
  const reauth = page.getByRole('dialog', { name: "Confirm it's you" })
  await reauth.or(done).first().waitFor({ timeout: 30_000 })
  if (await reauth.isVisible()) {
    if (!(await reauth.getByLabel('Your password').isVisible())) await reauth.getByRole('button', { name: 'Use your password instead' }).click()
    await reauth.getByLabel('Your password').fill(password)
    await reauth.getByRole('button', { name: 'Confirm', exact: true }).click()
  }
  await done.waitFor({ timeout: 30_000 })
}

/** `page`: an administrator's page of the preview, signed in, with no RADIUS client yet. `shot(page, name)` takes one. */
export async function shootRadiusClients({ page, password, shot, prefix = '' }) {
  const name = (n) => `${prefix}${n}`
  const add = page.getByRole('dialog', { name: 'Add RADIUS client' })
  const addClient = async ({ client, address, own, require2fa }) => {
    await page.getByRole('button', { name: 'Add client', exact: true }).first().click()
    await add.getByLabel('Name').fill(client)
    await add.getByLabel('Address or CIDR block').fill(address)
    if (own) {
      await add.getByLabel('Enter my own').check()
      await add.getByLabel('Your shared secret').fill(own)
    }
    if (require2fa) await add.getByLabel('Require 2FA for every user of this client').check()
    await add.getByRole('button', { name: 'Add client', exact: true }).click()
  }

  await page.getByRole('navigation').getByRole('button', { name: 'RADIUS clients', exact: true }).click()
  await page.getByRole('heading', { name: 'No RADIUS clients yet' }).waitFor()
  await shot(page, name('36-radius-empty'))

  await page.getByRole('button', { name: 'Add client', exact: true }).click()
  await add.getByLabel('Name').fill('vpn-gateway')
  await add.getByLabel('Address or CIDR block').fill('10.20.0.0/16')
  await add.getByLabel('Require 2FA for every user of this client').check()
  await shot(page, name('37-radius-add'))

  // An address it refuses, said as it was left; and an own secret being typed.
  await add.getByLabel('Address or CIDR block').fill('10.20.0.300')
  await add.getByLabel('Enter my own').check()
  await add.getByLabel('Your shared secret').fill('short one')
  await add.getByLabel('Name').focus()
  await shot(page, name('38-radius-add-invalid'))
  await add.getByLabel('Address or CIDR block').fill('10.20.0.0/16')
  await add.getByLabel('Generate a shared secret').check()
  await add.getByRole('button', { name: 'Add client', exact: true }).click()

  const shown = page.getByRole('dialog', { name: 'vpn-gateway was added' })
  await confirmIfAsked(page, password, shown)
  await shot(page, name('39-radius-secret-once'))
  await shown.getByRole('button', { name: 'Done' }).click()

  await addClient({ client: 'wifi-controller', address: '192.0.2.10', own: 'our wifi shared secret 2026' })
  await page.getByText('wifi-controller was added.').waitFor()
  await addClient({ client: 'branch-firewall', address: '2001:db8:42::/48' })
  await page.getByRole('dialog', { name: 'branch-firewall was added' }).getByRole('button', { name: 'Done' }).click()
  await page.getByRole('row').filter({ hasText: 'branch-firewall' }).waitFor()
  await shot(page, name('40-radius-list'))

  await page.getByRole('button', { name: 'Remove wifi-controller' }).click()
  await page.getByRole('dialog', { name: 'Remove wifi-controller?' }).waitFor()
  await shot(page, name('41-radius-remove-confirm'))
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()

  // The same screen in a narrow window.
  const viewport = page.viewportSize()
  await page.setViewportSize({ width: 900, height: 800 })
  await shot(page, name('42-radius-900'))
  await page.getByRole('button', { name: 'Add client', exact: true }).click()
  await add.getByLabel('Enter my own').check()
  await shot(page, name('43-radius-add-900'))
  await add.getByRole('button', { name: 'Cancel' }).click()
  if (viewport) await page.setViewportSize(viewport)
}

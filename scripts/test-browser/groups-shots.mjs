// The screenshots of Account > Groups: the list (enforced with a deadline,
// enforced and due, the exemption group, not enforced), a group's details with
// its members' shields, the Add members dialog with the dry run's effect, the
// enforce confirmation with previewEnforcement's counts, and 900 px wide.

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

// A domain the demo directory never uses (core/demo), so none of them is there already.
const TEAM = [
  ['Aiko Tanaka', 'aiko.tanaka@sales.example.com'],
  ['Bruno Costa', 'bruno.costa@sales.example.com'],
  ['Clara Novak', 'clara.novak@sales.example.com'],
  ['Daniel Okoro', 'daniel.okoro@sales.example.com'],
  ['Emma Laurent', 'emma.laurent@sales.example.com'],
  ['Farid Haddad', 'farid.haddad@sales.example.com'],
  ['Grace Kim', 'grace.kim@sales.example.com'],
  ['Henrik Lund', 'henrik.lund@sales.example.com']
]

/**
 * `page`: an administrator's page of the preview, signed in. `cli(...args)` runs twofa-admin on its
 * database (the password on stdin for --password-stdin). Turns "Enforce 2FA for all users" off first:
 * a group's enforcement then shows what it changes.
 */
export async function shootGroups({ page, password, shot, cli, prefix = '' }) {
  const name = (n) => `${prefix}${n}`
  cli('revoke-all')
  for (const [person, email] of TEAM) {
    try {
      cli('user', 'add', '--name', person, '--email', email, '--password-stdin')
    } catch (error) {
      // Run again on the same file: the team is there already.
      if (!/already exists/.test(error.message)) throw error
    }
  }
  // The other groups of the list, made on the command line: one whose deadline passed, the exemption group, one not enforced.
  cli('group', 'add', 'Night shift')
  cli('group', 'members', 'add', 'Night shift', 'farid.haddad@sales.example.com', 'henrik.lund@sales.example.com', 'lukas.becker@example.com')
  cli('group', 'enforce', 'Night shift')
  cli('group', 'add', 'External auditors')
  cli('group', 'members', 'add', 'External auditors', 'jonas.nilsson@example.com', 'grace.kim@sales.example.com')
  cli('group', 'exempt-from-policy', 'External auditors')
  cli('group', 'add', 'Support')
  cli('group', 'members', 'add', 'Support', 'sofia.rossi@example.com', 'chen.wei@example.com', 'emma.laurent@sales.example.com')

  // Sales, from the screen: created, four members, enforced with 7 days to activate.
  await page.getByRole('navigation').getByRole('button', { name: 'Groups', exact: true }).click()
  await page.getByRole('table', { name: 'Groups' }).waitFor()
  await page.getByRole('button', { name: 'Create group', exact: true }).click()
  const create = page.getByRole('dialog', { name: 'Create group' })
  await create.getByLabel('Name').fill('Sales')
  await create.getByRole('button', { name: 'Create group', exact: true }).click()
  await create.waitFor({ state: 'hidden' })
  await page.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'Sales', exact: true }).click()
  await page.getByText('No members yet.').waitFor()

  const add = page.getByRole('dialog', { name: 'Add members to Sales' })
  const addMembers = async (emails) => {
    await page.getByRole('button', { name: 'Add members', exact: true }).first().click()
    await add.getByLabel('Emails').fill(emails)
    await add.getByRole('button', { name: 'Check the effect' }).click()
    await add.getByRole('status').filter({ hasText: 'will be added' }).waitFor()
  }
  await addMembers(['maria.garcia@example.com', 'aiko.tanaka@sales.example.com', 'bruno.costa@sales.example.com', 'tom.jones@example.com'].join('\n'))
  await add.getByRole('button', { name: /^Add \d+ members?$/ }).click()
  await add.waitFor({ state: 'hidden' })

  await page.getByRole('button', { name: 'Enforce 2FA for this group' }).click()
  const enforce = page.getByRole('dialog', { name: 'Enforce 2FA for Sales' })
  await enforce.getByRole('spinbutton').fill('7')
  await enforce.getByRole('button', { name: 'Continue' }).click()
  await enforce.getByRole('status').filter({ hasText: 'will have to activate 2FA' }).waitFor()
  await shot(page, name('47-group-enforce-confirm'))
  await enforce.getByRole('button', { name: 'Enforce 2FA', exact: true }).click()
  await confirmIfAsked(page, password, page.getByText(/^2FA is now enforced for Sales/))

  // More members for the enforced group, pasted as they come: the dry run says who will have to activate 2FA.
  await addMembers('clara.novak@sales.example.com, daniel.okoro@sales.example.com; priya.patel@example.com\nmaria.garcia@example.com\nkwame.mensah@example.com')
  await shot(page, name('46-group-add-members'))
  await add.getByRole('button', { name: /^Add \d+ members?$/ }).click()
  await add.waitFor({ state: 'hidden' })
  await page.getByRole('row').filter({ hasText: 'clara.novak@sales.example.com' }).waitFor()
  // Tall enough for the members and their shields below the enforcement.
  const viewport = page.viewportSize()
  await page.setViewportSize({ width: 1280, height: 1080 })
  await page.getByRole('row').filter({ hasText: 'aiko.tanaka@sales.example.com' }).getByRole('img', { name: /^2FA / }).focus()
  await page.getByRole('tooltip').filter({ hasText: 'Activation' }).or(page.getByRole('tooltip').filter({ hasText: 'Overdue' })).first().waitFor()
  await shot(page, name('45-group-details'))
  await page.keyboard.press('Escape')
  if (viewport) await page.setViewportSize(viewport)

  await page.getByRole('button', { name: '← Back to the groups' }).click()
  await page.getByRole('row').filter({ hasText: 'Enforced, activation due by' }).waitFor()
  await shot(page, name('44-groups-list'))

  // The same screens in a narrow window.
  await page.setViewportSize({ width: 900, height: 800 })
  await shot(page, name('48-groups-900'))
  await page.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'Sales', exact: true }).click()
  await page.getByRole('table', { name: 'Members of Sales' }).waitFor()
  await shot(page, name('49-group-details-900'))
  if (viewport) await page.setViewportSize(viewport)
}

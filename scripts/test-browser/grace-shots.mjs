// The screenshots of issue 12, part 1: a grace period. The confirmation of
// "Enforce 2FA for all users" with "Users have N days to activate 2FA" and its
// exact counts, the Users list filtered to "Pending, overdue", the Groups
// column with a shield's "Activation due by" tooltip, a user's details with the
// deadline, and the reminder a user sees at each login during the grace period.

/**
 * `page`: an administrator's page of the preview (at `url`), signed in; `cli(...args)` runs twofa-admin on the same
 * database. Needs Tom Jones (tom.jones@example.com, password `userPassword`) without 2FA.
 */
export async function shootGracePeriod({ page, browser, url, shot, cli, userPassword, prefix = '' }) {
  const name = (n) => `${prefix}${n}`
  cli('user', 'add', '--name', 'Lee Park', '--email', 'lee.park@example.com', '--password-stdin')
  cli('user', 'enforce', 'lee.park@example.com')
  cli('group', 'add', 'Field sales')
  cli('group', 'members', 'add', 'Field sales', 'tom.jones@example.com')
  cli('group', 'enforce', 'Field sales', '--grace-days', '14')
  const nav = (label) => page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click()

  await nav('Security')
  await page.getByRole('button', { name: 'Enforce 2FA for all users', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Enforce 2FA for all users?' })
  await dialog.getByLabel('Users have').fill('30')
  await dialog.getByText(/will have to activate 2FA|No user will newly/).waitFor()
  await shot(page, name('50-enforce-all-grace'))
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()

  await nav('Users')
  // The Users screen keeps its search between visits: start from the whole list.
  await page.getByLabel('Search').fill('')
  await page.getByLabel('2FA status').selectOption('overdue')
  try {
    await page.getByRole('row').filter({ hasText: 'lee.park@example.com' }).waitFor({ timeout: 10_000 })
  } catch (error) {
    await page.screenshot({ path: '/tmp/grace-shots-failure.png', fullPage: true })
    throw error
  }
  await shot(page, name('51-users-overdue-filter'))
  await page.getByLabel('2FA status').selectOption('')
  const tom = page.getByRole('row').filter({ hasText: 'tom.jones@example.com' })
  await tom.waitFor()
  await tom.getByRole('img', { name: /^2FA / }).hover()
  await page.getByRole('tooltip').filter({ hasText: /Activation due by/ }).waitFor()
  await shot(page, name('52-users-groups-column'))

  await page.getByRole('table').getByRole('button', { name: 'Tom Jones', exact: true }).click()
  await page.getByRole('heading', { name: 'Security' }).waitFor()
  await shot(page, name('53-user-deadline'), { fullPage: true })

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const person = await context.newPage()
  await person.goto(url)
  await person.getByLabel('Email', { exact: true }).fill('tom.jones@example.com')
  await person.getByLabel('Password', { exact: true }).fill(userPassword)
  await person.getByRole('button', { name: 'Log in', exact: true }).click()
  await person.getByRole('button', { name: 'Later', exact: true }).waitFor()
  await shot(person, name('54-activation-due-reminder'))
  await context.close()
}

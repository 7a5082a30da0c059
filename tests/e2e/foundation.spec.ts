import { EMPTY_PORT } from '../../playwright.config'
import { DEMO_PASSWORD, demo, expect, logIn, logOut, test } from './fixtures'

test.describe('logging in', () => {
  test('each demo role logs in and sees its home', async ({ page }) => {
    await logIn(page, demo.admin)
    await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Administer people' })).toBeVisible()
    await logOut(page)

    await logIn(page, demo.hr)
    await expect(page.getByRole('heading', { name: 'Candidates by stage' })).toBeVisible()
    await expect(page.getByRole('row', { name: /Shadow 4/ })).toBeVisible()
    await logOut(page)

    await logIn(page, demo.mentor)
    await expect(page.getByRole('heading', { name: 'Your mentees' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Jordan Ellis' })).toBeVisible()
    await logOut(page)

    await logIn(page, demo.candidate)
    await expect(page.getByRole('heading', { name: 'Your STO path' })).toBeVisible()
    await expect(page.getByText('You are in the Shadow stage. Background: Technical Product Manager.')).toBeVisible()
  })

  test('a wrong password shows an error and no session', async ({ page }) => {
    await page.goto('/login')
    await page.getByLabel('Email').fill(demo.hr)
    await page.getByLabel('Password').fill('not-the-right-password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page.getByRole('alert')).toHaveText('That email and password do not match an active account.')
    await page.goto('/')
    await expect(page).toHaveURL(/\/login\?redirectTo=%2F$/)
  })

  test('a private page asked for before login comes back after login', async ({ page }) => {
    await page.goto('/framework/program')
    await expect(page).toHaveURL(/\/login\?redirectTo=/)
    await page.getByLabel('Email').fill(demo.candidate)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'The STO development program' })).toBeVisible()
  })
})

test.describe('access', () => {
  test('a candidate opening an admin page gets the 403 page', async ({ page }) => {
    await logIn(page, demo.candidate)
    const response = await page.goto('/admin/people')
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible()
    await expect(page.getByText('Administer people')).toHaveCount(0)
  })

  test('a candidate cannot open another candidate’s profile, and unknown ids are 404', async ({ page }) => {
    await logIn(page, demo.candidate)
    await page.getByRole('link', { name: 'My profile' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Jordan Ellis' })).toBeVisible()
    await expect(page).toHaveURL(/\/candidates\/\d+$/)
    const ownId = Number(new URL(page.url()).pathname.split('/').pop())
    const other = await page.goto(`/candidates/${ownId + 1}`)
    expect(other?.status()).toBe(403)
    const missing = await page.goto('/candidates/not-a-number')
    expect(missing?.status()).toBe(404)
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  })
})

test('an admin adds a person who can then log in', async ({ page }) => {
  const email = `new.candidate.${Date.now()}@example.com`
  await logIn(page, demo.admin)
  await page.getByRole('link', { name: 'Add a person' }).first().click()
  await page.getByLabel('Full name').fill('Nova Candidate')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Initial password').fill('a long enough first password')
  await page.getByRole('checkbox', { name: 'Candidate' }).check()
  await page.getByLabel('Background').selectOption({ label: 'Engineering Manager' })
  await page.getByLabel('Program stage').selectOption({ label: 'Shadow' })
  await page.getByLabel('Assigned mentor').selectOption({ label: 'Grace Okafor' })
  await page.getByLabel('Joined the program on').fill('2026-11-02')
  await page.getByRole('button', { name: 'Add person' }).click()
  await expect(page.getByRole('status')).toContainText('Person added')
  await expect(page.getByRole('heading', { level: 1, name: 'Nova Candidate' })).toBeVisible()

  // Bad input gets a message beside the field and writes nothing.
  await page.goto('/admin/people/new')
  await page.getByLabel('Full name').fill('Someone Else')
  await page.getByLabel('Email').fill(email.toUpperCase())
  await page.getByLabel('Initial password').fill('another long password')
  await page.getByRole('checkbox', { name: 'HR' }).check()
  await page.getByRole('button', { name: 'Add person' }).click()
  await expect(page.getByText('Someone already has this email address.')).toBeVisible()

  await logOut(page)
  await logIn(page, email, 'a long enough first password')
  await expect(page.getByText('You are in the Shadow stage. Background: Engineering Manager.')).toBeVisible()
  await expect(page.getByText('Your mentor is Grace Okafor.', { exact: false })).toBeVisible()
})

test('logout ends the session and the back button shows no private page', async ({ page, context }) => {
  await logIn(page, demo.hr)
  await page.getByRole('link', { name: 'People' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible()
  const cookiesBefore = await context.cookies()
  const session = cookiesBefore.find((c) => c.name === 'sto_session')
  expect(session?.httpOnly).toBe(true)
  expect(session?.sameSite).toBe('Lax')
  await logOut(page)
  await page.goBack()
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  await expect(page.getByText('Tomasz Nowak')).toHaveCount(0)
  // The old cookie no longer opens anything, even replayed by hand.
  await context.addCookies([{ ...session!, expires: -1 }])
  await page.goto('/people')
  await expect(page).toHaveURL(/\/login/)
})

test('the framework browser goes from domains to capabilities to levels', async ({ page }) => {
  await logIn(page, demo.mentor)
  await page.getByRole('link', { name: 'Framework', exact: true }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Governance Mindset' })).toBeVisible()
  await page.getByRole('link', { name: 'Technical Depth' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Technical Depth' })).toBeVisible()
  const ml = page.locator('#ml-fundamentals')
  await expect(ml.getByRole('heading', { name: 'ML Fundamentals' })).toBeVisible()
  await expect(ml.getByRole('listitem').filter({ hasText: /^5 · / })).toHaveCount(1)
  const unknown = await page.goto('/framework/no-such-domain')
  expect(unknown?.status()).toBe(404)
})

test('first run: the setup page creates the first admin and then disappears', async ({ page }) => {
  const base = `http://127.0.0.1:${EMPTY_PORT}`
  await page.goto(`${base}/`)
  await expect(page).toHaveURL(`${base}/setup`)
  await page.getByLabel('Your name').fill('First Admin')
  await page.getByLabel('Email').fill('first.admin@example.com')
  await page.getByLabel('Password', { exact: true }).fill('password1234')
  await page.getByLabel('Repeat the password').fill('password1234')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(page.getByText('This password is too common. Choose another.')).toBeVisible()
  await page.getByLabel('Password', { exact: true }).fill('the very first admin passphrase')
  await page.getByLabel('Repeat the password').fill('the very first admin passphrase')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, First Admin' })).toBeVisible()
  const again = await page.goto(`${base}/setup`)
  expect(again?.status()).toBe(404)
})

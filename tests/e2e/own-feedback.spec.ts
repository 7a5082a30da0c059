/**
 * A rater's own answers (issue 11): only the rater reads them, logged in, on their account page,
 * after linking them from their personal link; the export an admin downloads for the same person
 * says only how often they were asked.
 */
import { demo, expect, logIn, logOut, mailboxMessages, test } from './fixtures'

test('a rater links their feedback to their account and reads it; the admin export holds none of it', async ({
  page,
  browser,
}) => {
  // A rater of Jordan Ellis's open cycle who has answered: their link shows the thank-you page.
  await expect
    .poll(async () => (await mailboxMessages(/Feedback for Jordan Ellis/)).length, { timeout: 20_000 })
    .toBeGreaterThan(0)
  const mails = await mailboxMessages(/Feedback for Jordan Ellis/)
  const probe = await browser.newContext()
  const probePage = await probe.newPage()
  let chosen: { email: string; link: string } | null = null
  for (const mail of mails) {
    const link = mail.text?.match(/\/r\/[A-Za-z0-9_-]{43}/)?.[0]
    if (!link) continue
    await probePage.goto(link)
    if (await probePage.getByRole('heading', { name: 'Thank you' }).isVisible()) {
      chosen = { email: mail.to[0]!.address, link }
      break
    }
  }
  await probe.close()
  expect(chosen, 'a rater of Jordan Ellis who has answered').not.toBeNull()
  const { email, link } = chosen!

  // An admin creates an account with that address and sets its first password.
  await logIn(page, demo.admin)
  await page.goto('/admin/people/new')
  await page.getByLabel('Full name').fill('Rae Rater')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Initial password').fill('a password the admin chose')
  await page.getByRole('checkbox', { name: 'Mentor' }).check()
  await page.getByRole('button', { name: 'Add person' }).click()
  await expect(page.getByRole('status')).toContainText('Person added')
  const personUrl = page.url()
  await logOut(page)

  // With the admin's password, nothing can be linked.
  const rater = await browser.newContext()
  const raterPage = await rater.newPage()
  await logIn(raterPage, email, 'a password the admin chose')
  await raterPage.goto('/account/feedback-given')
  await expect(raterPage.getByText('First set a password of your own')).toBeVisible()

  // The rater sets their own password, opens their personal link in the same browser, and links.
  await raterPage.goto('/account')
  await raterPage.getByLabel('Current password').fill('a password the admin chose')
  await raterPage.getByLabel('New password', { exact: true }).fill('my very own rater password')
  await raterPage.getByLabel('Repeat the new password').fill('my very own rater password')
  await raterPage.getByRole('button', { name: /Change password/ }).click()
  await expect(raterPage.getByRole('status')).toBeVisible()
  await raterPage.goto(link)
  await expect(raterPage.getByRole('heading', { name: 'Thank you' })).toBeVisible()
  await raterPage.goto('/account/feedback-given')
  await raterPage.getByRole('button', { name: 'Link the feedback I am giving to my account' }).click()
  await expect(raterPage.getByRole('status')).toContainText('Linked')
  const section = raterPage.getByRole('region', { name: 'Feedback for Jordan Ellis' })
  await expect(section).toBeVisible()
  await expect(section.getByRole('row')).not.toHaveCount(0)
  await rater.close()

  // The export the admin downloads for this person says only how often they were asked.
  await logIn(page, demo.admin)
  const personId = new URL(personUrl).pathname.split('/').pop()
  const response = await page.request.get(`/admin/people/${personId}/export`)
  expect(response.status()).toBe(200)
  const exported = await response.json()
  const given = JSON.stringify(exported.assessments.feedbackGiven)
  expect(given).not.toMatch(/answers|comments|submitted|Jordan/i)
  expect(exported.assessments.feedbackGiven).toMatchObject({ invitedInCycles: expect.any(Number) })
})

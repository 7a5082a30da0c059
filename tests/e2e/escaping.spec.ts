import type { Page } from '@playwright/test'
import { demo, expect, loggedInPage, test } from './fixtures'

/**
 * HTML from users is always escaped: a candidate stores a <script> and an <img onerror> where their
 * mentor and HR read it (a plan item and milestone evidence), the mentor answers with the same in a
 * plan comment, and on every page that shows them they are plain text — the literal markup is
 * visible, no element is created from it, `window.__xss` stays undefined and no dialog opens.
 * Nadia Haddad and her mentor Daniel Ferreira are used by no other e2e test.
 */
const nadia = 'nadia.haddad@demo.sto-pathway.test'
const daniel = 'daniel.ferreira@demo.sto-pathway.test'
const PAYLOAD = '<script>window.__xss = 1</script><img src=x onerror="window.__xss=2">'

/** Fails the test on any dialog (alert, confirm, prompt) the page opens. */
function noDialogs(page: Page) {
  const opened: string[] = []
  page.on('dialog', (dialog) => {
    opened.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return opened
}

/** The stored markup is text on this page: visible literally, no element made from it, nothing ran. */
async function expectInert(page: Page, texts: string[], dialogs: string[]) {
  for (const text of texts) await expect(page.getByText(text).first()).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
  // No element was created from the markup (the text holds `<img src=x`, an element would be `img[src="x"]`).
  await expect(page.locator('img[src="x"]')).toHaveCount(0)
  expect(
    await page.evaluate(() =>
      [...document.scripts].some((s) => (s.textContent ?? '').trim().startsWith('window.__xss')),
    ),
  ).toBe(false)
  const html = await page.content()
  expect(html).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;&lt;img src=x onerror="window.__xss=2"&gt;')
  expect(html).not.toContain('<img src="x"')
  expect(dialogs).toEqual([])
}

test('a stored <script> and <img onerror> are shown as text to the mentor and HR, and never run', async ({
  browser,
  extraHTTPHeaders,
}) => {
  test.setTimeout(120_000)
  const headers = extraHTTPHeaders ?? {}
  const stamp = Date.now()
  const planText = `Plan ${stamp}: ${PAYLOAD}`
  const summary = `Evidence ${stamp}: ${PAYLOAD}`
  const comment = `Comment ${stamp}: ${PAYLOAD}`

  // The candidate adds a plan item with the markup as its action.
  const cand = await loggedInPage(browser, nadia, headers)
  const candDialogs = noDialogs(cand)
  await cand.getByRole('link', { name: 'My program' }).click()
  await expect(cand.getByRole('heading', { level: 1, name: 'Development program: Nadia Haddad' })).toBeVisible()
  const programPath = new URL(cand.url()).pathname
  const ownItem = cand.locator('form', { has: cand.getByRole('heading', { name: 'Add your own item' }) })
  await ownItem.getByLabel('Action', { exact: true }).fill(planText)
  await ownItem.getByRole('button', { name: 'Add to my plan' }).click()
  await expect(cand.getByRole('status')).toContainText('Plan item added.')
  await expectInert(cand, [planText], candDialogs)

  // ...and submits evidence for an open milestone with the markup as its summary.
  const openRow = cand
    .locator('section', { has: cand.getByRole('heading', { name: 'Milestones', exact: true }) })
    .getByRole('row')
    .filter({ hasText: 'To do' })
    .first()
  await openRow.getByRole('link').click()
  await expect(cand).toHaveURL(/\/milestones\/\d+$/)
  const milestonePath = new URL(cand.url()).pathname
  await cand.getByLabel('Summary').fill(summary)
  await cand.getByRole('button', { name: 'Submit for sign-off' }).click()
  await expect(cand.getByRole('status')).toContainText('Evidence submitted for sign-off.')
  await expectInert(cand, [summary], candDialogs)

  // The mentor reads both as text, and comments on the plan item with the same markup.
  const mentor = await loggedInPage(browser, daniel, headers)
  const mentorDialogs = noDialogs(mentor)
  await mentor.goto(programPath)
  await expectInert(mentor, [planText], mentorDialogs)
  const item = mentor.getByRole('listitem').filter({ hasText: planText })
  await item.getByPlaceholder('Mentor comment').fill(comment)
  await item.getByRole('button', { name: 'Comment' }).click()
  await expect(mentor.getByRole('status')).toContainText('Comment added.')
  await expectInert(mentor, [planText, comment], mentorDialogs)
  await mentor.goto(milestonePath)
  await expectInert(mentor, [summary], mentorDialogs)

  // HR reads all three as text.
  const hr = await loggedInPage(browser, demo.hr, headers)
  const hrDialogs = noDialogs(hr)
  await hr.goto(programPath)
  await expectInert(hr, [planText, comment], hrDialogs)
  await hr.goto(milestonePath)
  await expectInert(hr, [summary], hrDialogs)

  // The candidate sees the mentor's comment as text too.
  await cand.goto(programPath)
  await expectInert(cand, [planText, comment], candDialogs)
})

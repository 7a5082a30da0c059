import fs from 'node:fs'
import type { Page } from '@playwright/test'
import { demo, expect, linkFromMailbox, loggedInPage, test } from './fixtures'

/**
 * The whole 360 journey in one story: HR opens a cycle, the candidate self-assesses and nominates,
 * the mentor approves, six raters answer from the links in their mail (the local mailbox; one
 * resumes after closing the tab), HR's delivery log shows the mail without any link, HR closes, and the report shows exactly the groups the confidentiality rules allow.
 */
const candidate = { name: 'Lukas Becker', email: 'lukas.becker@demo.sto-pathway.test' }
const mentorEmail = 'mei.lin.chen@demo.sto-pathway.test'

const raters = [
  { name: 'Margot Keller', email: 'margot.keller@example.com', relationship: 'Manager', score: 4 },
  { name: 'Peter Oduya', email: 'peter.oduya@example.com', relationship: 'Peer', score: 3 },
  { name: 'Paula Jensen', email: 'paula.jensen@example.com', relationship: 'Peer', score: 4 },
  { name: 'Pavel Horak', email: 'pavel.horak@example.com', relationship: 'Peer', score: 3 },
  { name: 'Dina Marsh', email: 'dina.marsh@example.com', relationship: 'Direct report', score: 5 },
  { name: 'Dev Patel', email: 'dev.patel@example.com', relationship: 'Direct report', score: 2 },
]

/** Answers every statement of the questionnaire with `score`, leaving `skip` statements out. */
async function answerAll(page: Page, score: number, opts: { from?: number; to?: number } = {}) {
  const groups = page.locator('fieldset.rating')
  const count = await groups.count()
  for (let i = opts.from ?? 0; i < (opts.to ?? count); i++) {
    const group = groups.nth(i)
    // Every fifth statement is "Not observed", as real raters do.
    if (i % 5 === 4) await group.getByLabel('Not observed').check()
    else await group.locator(`input[value="${score}"]`).check()
  }
  return count
}

test('a full 360 cycle: open, self-assess, nominate, approve, answer, close, read the report', async ({
  browser,
  extraHTTPHeaders,
}) => {
  test.setTimeout(240_000)
  const headers = extraHTTPHeaders ?? {}

  // HR opens a cycle for one candidate.
  const hr = await loggedInPage(browser, demo.hr, headers)
  await hr.goto('/cycles/new')
  for (const box of await hr.getByRole('checkbox').all()) await box.uncheck()
  await hr.getByRole('checkbox', { name: new RegExp(candidate.name) }).check()
  await hr.getByRole('button', { name: 'Open cycles' }).click()
  await expect(hr.getByRole('heading', { level: 1, name: `360 assessment: ${candidate.name}` })).toBeVisible()
  const cycleUrl = new URL(hr.url()).pathname
  // Opening a second cycle for the same candidate is refused and writes nothing.
  await hr.goto('/cycles/new')
  for (const box of await hr.getByRole('checkbox').all()) await box.uncheck()
  await hr.getByRole('checkbox', { name: new RegExp(candidate.name) }).check()
  await hr.getByRole('button', { name: 'Open cycles' }).click()
  await expect(hr.getByRole('alert')).toContainText(`${candidate.name} already has an open cycle`)

  // The candidate self-assesses (the rating scale works from the keyboard) and nominates six raters.
  const cand = await loggedInPage(browser, candidate.email, headers)
  await cand.getByRole('link', { name: 'complete your self-assessment' }).click()
  await expect(cand.getByRole('heading', { name: 'Your self-assessment' })).toBeVisible()
  const first = cand.locator('fieldset.rating').first()
  await first.locator('input[value="1"]').focus()
  await cand.keyboard.press('ArrowRight')
  await expect(first.locator('input[value="2"]')).toBeChecked()
  const total = await answerAll(cand, 4)
  await expect(cand.getByText(`${total} of ${total} statements answered`)).toBeVisible()
  await cand.getByRole('button', { name: 'Submit self-assessment' }).click()
  await expect(cand.getByRole('status').filter({ hasText: 'Self-assessment submitted.' })).toBeVisible()

  for (const r of raters) {
    await cand.getByLabel('Rater’s name').fill(r.name)
    await cand.getByLabel('Rater’s email').fill(r.email)
    await cand.getByLabel('Their relationship to you').selectOption({ label: r.relationship })
    await cand.getByRole('button', { name: 'Add rater' }).click()
    await expect(cand.getByRole('status').filter({ hasText: `${r.name} nominated` })).toBeVisible()
  }
  // A duplicate email is refused with a message beside the field.
  await cand.getByLabel('Rater’s name').fill('Someone Again')
  await cand.getByLabel('Rater’s email').fill(raters[1]!.email.toUpperCase())
  await cand.getByLabel('Their relationship to you').selectOption({ label: 'Stakeholder' })
  await cand.getByRole('button', { name: 'Add rater' }).click()
  await expect(cand.getByText('This person is already nominated in this cycle.')).toBeVisible()

  // The mentor approves every nomination and sends the invitations.
  const mentor = await loggedInPage(browser, mentorEmail, headers)
  await expect(mentor.getByRole('link', { name: candidate.name }).first()).toBeVisible()
  await mentor.goto(cycleUrl)
  for (const r of raters) {
    await mentor.getByRole('button', { name: `Approve ${r.name}` }).click()
    await expect(mentor.getByRole('status').filter({ hasText: `${r.name} approved.` })).toBeVisible()
  }
  await mentor.getByRole('button', { name: 'Send invitations to approved raters' }).click()
  await expect(mentor.getByRole('status').filter({ hasText: '6 invitations sent.' })).toBeVisible()

  // Each rater opens the link from their mail (the local mailbox) and answers.
  const links = new Map<string, string>()
  for (const r of raters) {
    const link = await linkFromMailbox(r.email)
    expect(link).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/)
    links.set(r.email, link)
  }

  // HR's delivery log lists the invitations as sent, and no page of it shows a usable link.
  await expect(async () => {
    await hr.goto('/outbox')
    await expect(hr.getByRole('heading', { level: 1, name: 'Delivery log' })).toBeVisible()
    for (const r of raters)
      await expect(hr.getByRole('row', { name: new RegExp(r.email) })).toContainText('Sent', { timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await hr
    .getByRole('row', { name: new RegExp(raters[0]!.email) })
    .getByRole('link')
    .first()
    .click()
  await expect(hr.getByText('[personal link removed after sending]')).toBeVisible()
  await expect(hr.getByRole('link', { name: /\/r\// })).toHaveCount(0)
  const logText = await hr.content()
  for (const link of links.values()) expect(logText).not.toContain(link)
  expect(logText).not.toMatch(/\/r\/[A-Za-z0-9_-]{20,}/)

  for (const [index, r] of raters.entries()) {
    // Each rater is somebody else, somewhere else: their own client address.
    const context = await browser.newContext({
      extraHTTPHeaders: { 'X-Forwarded-For': `198.19.${index}.${Math.floor(Math.random() * 250)}` },
    })
    let page = await context.newPage()
    await page.goto(links.get(r.email)!)
    await expect(page).toHaveURL(/\/rate$/)
    await expect(page.getByRole('heading', { name: `Feedback for ${candidate.name}` })).toBeVisible()
    await expect(
      page.getByText(r.relationship === 'Manager' ? 'manager answers are attributable' : 'only as part of the'),
    ).toBeVisible()
    if (index === 1) {
      // Half-way, the tab closes; the draft was saved on the server and the link resumes it.
      await answerAll(page, r.score, { to: 20 })
      await expect(page.getByRole('status').filter({ hasText: /Draft saved at/ })).toBeVisible()
      await page.close()
      page = await context.newPage()
      await page.goto(links.get(r.email)!)
      await expect(page.getByText(`20 of ${total} statements answered`)).toBeVisible()
      await expect(page.locator('fieldset.rating').nth(0).locator(`input[value="${r.score}"]`)).toBeChecked()
      await answerAll(page, r.score, { from: 20 })
    } else {
      await answerAll(page, r.score)
    }
    await page
      .getByLabel('Comment on Leadership Capability (optional)')
      .fill(`Leadership note from rater ${index + 1}: <script>alert(1)</script>`)
    await page.getByRole('button', { name: 'Submit feedback' }).click()
    await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible()
    // The link after submission shows the thank-you page and changes nothing.
    await page.goto(links.get(r.email)!)
    await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible()
    await context.close()
  }

  // While collecting, nobody sees how many answered (decision 0016).
  await cand.goto(cycleUrl)
  await expect(cand.getByText('no counts are shown while feedback is collected')).toBeVisible()
  await expect(cand.getByRole('row', { name: /^Peers \d/ })).toHaveCount(0)
  const report = `${cycleUrl}/report`
  await cand.goto(report)
  await expect(cand.getByText('This cycle is not closed yet')).toBeVisible()

  // HR closes the cycle; the report is computed and frozen.
  await hr.goto(cycleUrl)
  await hr.getByRole('button', { name: 'Close now and release the report' }).click()
  await expect(hr.getByRole('heading', { level: 1, name: `360 report — ${candidate.name}` })).toBeVisible()

  // The candidate sees the radar chart, the peer group, and no direct-report group (only 2 answered).
  await cand.goto(report)
  await expect(cand.getByRole('heading', { level: 1, name: `360 report — ${candidate.name}` })).toBeVisible()
  await expect(cand.locator('.recharts-surface').first()).toBeVisible()
  const detail = cand.locator('section', { has: cand.getByRole('heading', { name: 'Every capability' }) })
  await expect(detail.getByRole('columnheader', { name: 'Peers' })).toBeVisible()
  await expect(detail.getByRole('columnheader', { name: 'Managers' })).toBeVisible()
  await expect(detail.getByRole('columnheader', { name: 'Direct reports' })).toHaveCount(0)
  await expect(cand.getByText('Not shown as groups: direct reports, stakeholders.')).toBeVisible()
  // Direct-report comments are never shown; a stored <script> is text, not code.
  const comments = cand.locator('.comment-list li')
  await expect(comments).toHaveCount(4)
  await expect(comments.filter({ hasText: '<script>alert(1)</script>' })).toHaveCount(4)
  for (const name of raters.map((r) => r.name)) await expect(cand.getByText(name)).toHaveCount(0)

  // The print stylesheet gives a clean PDF with the candidate's name.
  await cand.emulateMedia({ media: 'print' })
  const pdf = await cand.pdf({ format: 'A4', printBackground: true })
  expect(pdf.byteLength).toBeGreaterThan(20_000)
  const pdfText = pdf.toString('latin1')
  const utf16Title = Buffer.from(`\ufeff360 report — ${candidate.name}`, 'utf16le')
    .swap16()
    .toString('hex')
    .toUpperCase()
  expect(pdfText.includes(`360 report`) || pdfText.toUpperCase().includes(utf16Title.slice(0, 40))).toBe(true)
  fs.mkdirSync('test-results', { recursive: true })
  fs.writeFileSync('test-results/report.pdf', pdf)
  await cand.emulateMedia({ media: 'screen' })

  // The candidate accepts a suggested plan item.
  const planSection = cand.locator('#plan')
  if ((await planSection.getByRole('button', { name: 'Add to my plan' }).count()) > 0) {
    await planSection.getByRole('button', { name: 'Add to my plan' }).first().click()
    await expect(cand.getByRole('status').filter({ hasText: 'Added to your development plan.' })).toBeVisible()
  }

  // The mentor sees the same report; another candidate does not.
  await mentor.goto(report)
  await expect(mentor.getByRole('heading', { level: 1, name: `360 report — ${candidate.name}` })).toBeVisible()
  await expect(
    mentor
      .locator('section', { has: mentor.getByRole('heading', { name: 'Every capability' }) })
      .getByRole('columnheader', { name: 'Peers' }),
  ).toBeVisible()
  const other = await loggedInPage(browser, demo.candidate, headers)
  const refused = await other.goto(report)
  expect(refused?.status()).toBe(403)
  await expect(other.getByRole('heading', { name: 'Not allowed' })).toBeVisible()
})

test('bad rater links get a clear page', async ({ page }) => {
  const tampered = await page.goto('/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
  expect(tampered?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: 'This link is not valid' })).toBeVisible()
  const malformed = await page.goto('/r/short')
  expect(malformed?.status()).toBe(404)
  const noSession = await page.goto('/rate')
  expect(noSession?.status()).toBe(401)
  await expect(page.getByRole('heading', { name: 'Open your personal link again' })).toBeVisible()
})

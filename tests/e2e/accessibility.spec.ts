import { createRequire } from 'node:module'
import type { Page } from '@playwright/test'
import { demo, expect, logIn, mailboxMessages, test } from './fixtures'

/**
 * axe-core (WCAG 2 A and AA rules) on the pages people use most. The context bypasses CSP only so
 * the test can inject axe; the app's own pages run under the enforced policy everywhere else.
 */
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

type AxeResult = {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>
}

async function expectNoSeriousViolations(page: Page, what: string) {
  await page.addScriptTag({ path: axePath })
  const result = (await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    return await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
  })) as AxeResult
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const summary = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  )
  expect(summary, `accessibility problems on ${what}`).toEqual([])
}

test.use({ bypassCSP: true })
// axe on long pages takes a while on a loaded 2-core machine.
test.describe.configure({ timeout: 120_000 })

test('login, home, framework and people pages have no serious accessibility problems', async ({ page }) => {
  await page.goto('/login')
  await expectNoSeriousViolations(page, 'the login page')
  await logIn(page, demo.admin)
  await expectNoSeriousViolations(page, 'the admin home')
  await page.goto('/admin/people/new')
  await expectNoSeriousViolations(page, 'the add-person form')
  await page.goto('/framework/technical-depth')
  await expectNoSeriousViolations(page, 'a framework domain page')
  await page.goto('/pipeline')
  await expectNoSeriousViolations(page, 'the pipeline dashboard')
  await page.goto('/pipeline/gaps')
  await expect(page.locator('.recharts-surface').first()).toBeVisible()
  await expectNoSeriousViolations(page, 'the gap analysis')
})

test('the 360 pages have no serious accessibility problems', async ({ page, browser }) => {
  await logIn(page, 'oliver.bennett@demo.sto-pathway.test')
  await page.goto('/cycles')
  await expectNoSeriousViolations(page, 'the candidate’s cycle list')
  await page.getByRole('link', { name: 'Open report' }).first().click()
  await expect(page.locator('.recharts-surface').first()).toBeVisible()
  await expectNoSeriousViolations(page, 'the 360 report')

  await page.getByRole('button', { name: 'Log out' }).click()
  await logIn(page, demo.candidate)
  await page.getByRole('link', { name: 'complete your self-assessment' }).click()
  await expectNoSeriousViolations(page, 'the self-assessment')

  // A rater who has not answered yet: open their link from the local mailbox, as a rater would.
  const linksInMailbox = async () =>
    (await mailboxMessages(/Feedback for Jordan Ellis/)).flatMap((m) => m.text?.match(/\/r\/[A-Za-z0-9_-]{43}/g) ?? [])
  await expect.poll(async () => (await linksInMailbox()).length, { timeout: 20_000 }).toBeGreaterThan(0)
  const links = await linksInMailbox()
  const rater = await browser.newContext({ bypassCSP: true })
  const raterPage = await rater.newPage()
  for (const link of links) {
    await raterPage.goto(link)
    if (await raterPage.getByRole('heading', { name: 'Feedback for Jordan Ellis' }).isVisible()) break
  }
  await expect(raterPage.getByRole('heading', { name: 'Feedback for Jordan Ellis' })).toBeVisible()
  await expectNoSeriousViolations(raterPage, 'the rater questionnaire')
  await rater.close()
})

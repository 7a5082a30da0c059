import fs from 'node:fs'
import { demo, expect, loggedInPage, logIn, test } from './fixtures'

/** HR's pipeline on the demo data: funnel, matrix, filters in the URL, CSV export, and the people import. */
test('HR reads the pipeline, filters it, downloads the filtered CSV and opens a candidate', async ({ page }) => {
  await logIn(page, demo.hr)
  await page.getByRole('link', { name: 'Pipeline', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Talent pipeline' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Candidates per stage' })).toBeVisible()
  const matrix = page.locator('section', { has: page.getByRole('heading', { name: 'Background × stage' }) })
  await expect(matrix.getByRole('rowheader', { name: 'Senior Data Scientist' })).toBeVisible()

  await page.locator('#f-background').selectOption({ label: 'Senior Data Scientist' })
  await page.getByRole('button', { name: 'Apply filters' }).click()
  await expect(page).toHaveURL(/[?&]background=senior-data-scientist/)
  const list = page.locator('#list')
  await expect(list.getByRole('link', { name: 'Hannah Kim' })).toBeVisible()
  await expect(list.getByRole('link', { name: 'Jordan Ellis' })).toHaveCount(0)

  const downloading = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Download this list as CSV' }).click()
  const csv = fs.readFileSync((await (await downloading).path())!, 'utf8')
  expect(csv.split('\n')[0]).toContain('name,background,stage')
  expect(csv).toContain('Hannah Kim')
  expect(csv).toContain('Sofia Rossi')
  expect(csv).not.toContain('Jordan Ellis')

  // From the matrix: the Low-Risk Pod Leadership cell of this background, then the candidate.
  await page.getByRole('link', { name: '1 Senior Data Scientist in Low-Risk Pod Leadership' }).click()
  await expect(page).toHaveURL(/stage=low-risk-pod-leadership/)
  await page.locator('#list').getByRole('link', { name: 'Sofia Rossi' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Development program: Sofia Rossi' })).toBeVisible()

  await page.goto('/pipeline/gaps')
  await expect(page.getByRole('heading', { level: 1, name: 'What each background needs' })).toBeVisible()
  await expect(page.getByText('fewer than 3').first()).toBeVisible()
})

test('candidates and mentors are refused the pipeline', async ({ browser, extraHTTPHeaders }) => {
  for (const email of [demo.candidate, demo.mentor]) {
    const page = await loggedInPage(browser, email, extraHTTPHeaders ?? {})
    const response = await page.goto('/pipeline')
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible()
    await page.context().close()
  }
})

test('an import with one bad row is refused with its line number; the corrected file imports', async ({ page }) => {
  const stamp = Date.now()
  const header = 'name,email,roles,background,mentor_email,stage,enrollment_date'
  const good = `Ines Import ${stamp},ines.${stamp}@example.com,candidate,engineering-manager,grace.okafor@demo.sto-pathway.test,shadow,2026-10-01`
  const bad = `Omar Import ${stamp},omar.${stamp}@example.com,candidate,rocket-scientist,grace.okafor@demo.sto-pathway.test,shadow,2026-10-01`
  const fixed = bad.replace('rocket-scientist', 'strategy-consultant')

  await logIn(page, demo.hr)
  await page.goto('/people/import')
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from([header, good, bad].join('\n')) })
  await page.getByRole('button', { name: 'Check the file' }).click()
  await expect(page.getByRole('heading', { name: 'Not imported' })).toBeVisible()
  await expect(page.getByRole('row', { name: /^3 background: unknown background "rocket-scientist"/ })).toBeVisible()
  await page.goto('/people?role=candidate')
  await expect(page.getByText(`Ines Import ${stamp}`)).toHaveCount(0)

  await page.goto('/people/import')
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from([header, good, fixed].join('\n')) })
  await page.getByRole('button', { name: 'Check the file' }).click()
  await expect(page.getByRole('heading', { name: 'Preview of people.csv' })).toBeVisible()
  await page.getByRole('button', { name: 'Import 2 rows' }).click()
  await expect(page.getByRole('status')).toContainText('2 created, 0 updated, 0 unchanged, 2 enrolled')
  await page.goto('/people?role=candidate')
  await expect(page.getByText(`Ines Import ${stamp}`)).toBeVisible()
  await expect(page.getByText(`Omar Import ${stamp}`)).toBeVisible()
})

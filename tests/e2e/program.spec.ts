import { demo, expect, loggedInPage, test } from './fixtures'

/**
 * The program journey on the demo data (Chloé Dubois is in Shadow with back-dated history: time
 * and her 360 already meet the gate; one milestone is left): evidence with a file, returned with
 * feedback, resubmitted, signed off; the mentor recommends and HR advances her to Assistant STO.
 */
const chloe = 'chloe.dubois@demo.sto-pathway.test'
const samuel = 'samuel.adeyemi@demo.sto-pathway.test'
const milestoneTitle = 'Take on guided responsibilities'

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1')

test('evidence, return, resubmission, sign-off, recommendation and advancement', async ({
  browser,
  extraHTTPHeaders,
}) => {
  test.setTimeout(180_000)
  const headers = extraHTTPHeaders ?? {}

  const cand = await loggedInPage(browser, chloe, headers)
  await cand.getByRole('link', { name: 'My program' }).click()
  await expect(cand.getByRole('heading', { level: 1, name: 'Development program: Chloé Dubois' })).toBeVisible()
  await expect(cand.getByText(/overdue since/)).toBeVisible()
  await cand.getByRole('link', { name: milestoneTitle }).click()
  await expect(cand.getByRole('heading', { level: 1, name: milestoneTitle })).toBeVisible()
  const milestoneUrl = new URL(cand.url()).pathname

  // A refused file type is explained, and nothing is saved.
  await cand.getByLabel('Summary').fill('I ran the weekly prioritisation meeting for six weeks with the STO present.')
  await cand
    .getByLabel('Files (optional)')
    .setInputFiles({ name: 'notes.exe', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') })
  await cand.getByRole('button', { name: 'Submit for sign-off' }).click()
  await expect(cand.getByRole('alert')).toContainText('is not an accepted file type')
  await expect(cand.getByRole('heading', { name: 'Evidence submitted' })).toHaveCount(0)

  await cand.getByLabel('Summary').fill('I ran the weekly prioritisation meeting for six weeks with the STO present.')
  await cand
    .getByLabel('Files (optional)')
    .setInputFiles({ name: 'meeting-notes.pdf', mimeType: 'application/pdf', buffer: pdf })
  await cand.getByRole('button', { name: 'Submit for sign-off' }).click()
  await expect(cand.getByRole('status')).toContainText('Evidence submitted for sign-off.')
  await expect(cand.getByRole('link', { name: 'meeting-notes.pdf' })).toBeVisible()
  const download = await cand.request.get(
    await cand
      .getByRole('link', { name: 'meeting-notes.pdf' })
      .getAttribute('href')
      .then((h) => h!),
  )
  expect(download.status()).toBe(200)
  expect(download.headers()['content-disposition']).toContain('attachment')

  // The mentor returns it with feedback.
  const mentor = await loggedInPage(browser, samuel, headers)
  await mentor.getByRole('link', { name: 'Sign-offs' }).click()
  await mentor
    .getByRole('row', { name: /Chloé Dubois/ })
    .getByRole('link', { name: milestoneTitle })
    .click()
  await mentor
    .getByLabel('Feedback (required when returning)')
    .fill('Add what you decided yourself, not only what you observed.')
  await mentor.getByRole('button', { name: 'Return with feedback' }).click()
  await expect(mentor.getByRole('status')).toContainText('Returned to the candidate')

  // The candidate reads the feedback and resubmits.
  await cand.goto(milestoneUrl)
  await expect(cand.getByText('Returned with feedback').first()).toBeVisible()
  await expect(cand.getByText('Add what you decided yourself, not only what you observed.')).toBeVisible()
  await cand
    .getByLabel('Summary')
    .fill('I ran the weekly prioritisation meeting and decided twice to cut scope; notes attached.')
  await cand.getByLabel('Links (one per line, optional)').fill('https://wiki.example.com/sto/prioritisation')
  await cand.getByRole('button', { name: 'Submit for sign-off' }).click()
  await expect(cand.getByRole('status')).toContainText('Evidence submitted for sign-off.')

  // The mentor signs off, then recommends advancement on the gate page.
  await mentor.goto(milestoneUrl)
  await mentor.getByRole('button', { name: 'Sign off' }).click()
  await expect(mentor.getByRole('status')).toContainText('Signed off.')
  await mentor.getByRole('link', { name: 'Chloé Dubois' }).first().click()
  await mentor.getByRole('link', { name: 'Open the gate' }).click()
  await expect(mentor.getByText('✓ Met — Every required milestone signed off')).toBeVisible()
  await mentor
    .getByLabel('Why Chloé Dubois is ready')
    .fill('All Shadow milestones done; she already runs the prioritisation meeting.')
  await mentor.getByRole('button', { name: /Recommend advancement/ }).click()
  await expect(mentor.getByRole('status')).toContainText('Recommendation sent to HR.')

  // HR (not the mentor) approves from the approvals queue.
  const hr = await loggedInPage(browser, demo.hr, headers)
  await hr.getByRole('link', { name: 'Approvals' }).click()
  await hr.getByRole('link', { name: 'Chloé Dubois' }).click()
  for (const label of [
    'At least 3 months of active time in Shadow',
    'Every required milestone signed off',
    'Latest 360 meets the Shadow exit profile',
    'Recommended by the mentor',
  ])
    await expect(hr.getByText(`✓ Met — ${label}`)).toBeVisible()
  await hr.getByLabel('Assistant STO: delegated domain').selectOption({ label: 'Technical decisions' })
  await hr.getByRole('button', { name: 'Approve advancement to Assistant STO' }).click()
  await expect(hr.getByRole('status')).toContainText('Chloé Dubois advanced.')

  // The timeline shows the change, for the candidate too.
  await cand.goto('/program')
  const timeline = cand.locator('section', { has: cand.getByRole('heading', { name: 'Timeline' }) })
  await expect(timeline.getByText(/Shadow: .* – \d{4}-\d{2}-\d{2}/)).toBeVisible()
  await expect(timeline.getByText(/Assistant STO: .* – now/)).toBeVisible()
  await expect(timeline.getByText('Delegated: Technical decisions')).toBeVisible()

  // Strangers are refused: another candidate's milestone, and a sign-off by someone else's mentor.
  const refused = await cand.goto('/milestones/1')
  expect(refused?.status()).toBe(403)
  const stranger = await mentor.request.post('/milestones/1', { form: { intent: 'sign' } })
  expect(stranger.status()).toBe(403)
})

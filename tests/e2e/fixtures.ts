/**
 * Shared e2e fixtures. Every test gets its own client address (X-Forwarded-For, trusted by the
 * e2e server like a proxy's), so the per-IP login limit of 10 a minute counts per test.
 */
import { createHash } from 'node:crypto'
import { test as base, expect, type Browser, type Page } from '@playwright/test'
import { DEMO_PASSWORD, demo } from '../helpers/demo-logins'

export { DEMO_PASSWORD, demo }

export const test = base.extend({
  extraHTTPHeaders: async ({}, use, testInfo) => {
    const h = createHash('sha256')
      .update(testInfo.testId + testInfo.retry)
      .digest()
    await use({ 'X-Forwarded-For': `198.18.${h[0]}.${h[1]}` })
  },
})
export { expect }

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible()
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
}

/** A separate browser context (its own cookies) logged in as `email`. */
export async function loggedInPage(browser: Browser, email: string, headers: Record<string, string>) {
  const context = await browser.newContext({ extraHTTPHeaders: headers })
  const page = await context.newPage()
  await logIn(page, email)
  return page
}

/** The local mailbox (maildev) the e2e servers send their mail to (playwright.config.ts). */
export const MAILBOX_URL = `http://127.0.0.1:${process.env.E2E_MAIL_WEB_PORT ?? 4313}`

type MaildevMessage = { id: string; subject: string; text?: string; date: string; to: Array<{ address: string }> }

/**
 * The personal link (as a path) in the newest mail to `email` whose subject matches, read from the
 * mailbox's REST API as the rater's mail client would; waits for delivery.
 */
export async function linkFromMailbox(
  email: string,
  subject: RegExp = /Feedback for/,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const messages = (await (await fetch(`${MAILBOX_URL}/email`)).json()) as MaildevMessage[]
    const mine = messages
      .filter((m) => m.to.some((t) => t.address.toLowerCase() === email.toLowerCase()) && subject.test(m.subject))
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))
    const match = mine[0]?.text?.match(/https?:\/\/\S+(\/r\/[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/)
    if (match) return match[1]!
    if (Date.now() > deadline)
      throw new Error(`no mail with a personal link to ${email} in the mailbox (${messages.length} messages)`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Every mail in the mailbox whose subject matches. */
export async function mailboxMessages(subject: RegExp): Promise<MaildevMessage[]> {
  const messages = (await (await fetch(`${MAILBOX_URL}/email`)).json()) as MaildevMessage[]
  return messages.filter((m) => subject.test(m.subject))
}

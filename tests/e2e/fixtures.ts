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
    const h = createHash('sha256').update(testInfo.testId + testInfo.retry).digest()
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

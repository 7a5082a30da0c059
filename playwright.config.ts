import fs from 'node:fs'
import { defineConfig } from '@playwright/test'

/** Two production servers on fresh databases (the demo organisation, and an empty one for first-run setup), and their mailbox. */
export const DEMO_PORT = Number(process.env.E2E_DEMO_PORT ?? 4310)
export const EMPTY_PORT = Number(process.env.E2E_EMPTY_PORT ?? 4311)
/** A local mailbox (maildev, 127.0.0.1 only): the servers send their mail to it; tests read it as raters would. */
export const MAIL_SMTP_PORT = Number(process.env.E2E_MAIL_SMTP_PORT ?? 4312)
export const MAIL_WEB_PORT = Number(process.env.E2E_MAIL_WEB_PORT ?? 4313)
const mail = { SMTP_URL: `smtp://127.0.0.1:${MAIL_SMTP_PORT}` }

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://127.0.0.1:${DEMO_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // scripts/test-e2e.mjs finds or installs a browser and passes it here.
      executablePath:
        process.env.CHROMIUM_PATH || (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  // Started in this order, each once the one before answers: the mailbox first, so the demo
  // server's flush at start delivers the seeded invitations.
  webServer: [
    {
      command: `node node_modules/maildev/bin/maildev --ip 127.0.0.1 --smtp ${MAIL_SMTP_PORT} --web ${MAIL_WEB_PORT} --silent`,
      url: `http://127.0.0.1:${MAIL_WEB_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node scripts/e2e-server.mjs demo ${DEMO_PORT}`,
      env: { ...mail, APP_URL: `http://127.0.0.1:${DEMO_PORT}` },
      url: `http://127.0.0.1:${DEMO_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node scripts/e2e-server.mjs empty ${EMPTY_PORT}`,
      env: { ...mail, APP_URL: `http://127.0.0.1:${EMPTY_PORT}` },
      url: `http://127.0.0.1:${EMPTY_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
})

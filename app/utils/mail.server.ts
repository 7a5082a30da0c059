/** Sending mail through SMTP (nodemailer). Only the outbox calls this. */
import nodemailer, { type Transporter } from 'nodemailer'
import { getEnv } from './env.server'

let transport: Transporter | undefined

export async function sendMail(message: { to: string; subject: string; text: string }) {
  const env = getEnv()
  if (!env.SMTP_URL) throw new Error('SMTP_URL is not set')
  transport ??= nodemailer.createTransport(env.SMTP_URL)
  await transport.sendMail({ from: env.MAIL_FROM, ...message })
}

/**
 * Fixtures for 360-assessment integration tests: opening cycles, nominating, approving and inviting
 * raters through the route actions, reading personal links from the outbox, and "rater browsers"
 * (a personal link exchanged for the rater cookie).
 */
import { takeNotice } from '~/utils/flash.server'
import { and, desc, eq, sql } from 'drizzle-orm'
import { assessmentCycles, outbox, raters } from '#db/schema/assessments'
import type { Relationship } from '~/domain/assessment/types'
import { action as cycleAction, loader as cycleLoader } from '~/routes/cycles.$cycleId._index'
import { action as openAction } from '~/routes/cycles.new'
import { loader as tokenLoader } from '~/routes/r.$token'
import { action as rateAction, loader as rateLoader } from '~/routes/rate'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { call, loggedIn, request } from './db'

export const args = (req: Request, params: Record<string, string> = {}) =>
  ({ request: req, params, context: {} }) as never

/** YYYY-MM-DD, `days` from today (UTC). */
export function isoDay(days: number, from = new Date()) {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()))
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Every statement id of the loaded framework, in order. */
export const allStatementIds = () => getFramework().capabilities.flatMap((c) => c.behaviours.map((b) => b.id))
export const allDomainIds = () => getFramework().domains.map((d) => d.id)

/** A questionnaire form with every statement answered by `score(statementId)`. */
export function answerForm(
  score: (statementId: string) => string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...Object.fromEntries(allStatementIds().map((id) => [`s:${id}`, score(id)])), ...extra }
}

/** Opens one cycle through the cycles.new action; returns its id. */
export async function openCycle(cookie: string, candidateId: number, dueOn = isoDay(21)) {
  const res = await call(() =>
    openAction(args(request('/cycles/new', { cookie, form: { candidateIds: [String(candidateId)], dueOn } }))),
  )
  if (res.status !== 302) throw new Error(`opening a cycle failed: ${res.status} ${JSON.stringify(res.data)}`)
  return Number(res.headers.get('Location')!.match(/^\/cycles\/(\d+)/)![1])
}

/** Posts a form to the cycle page action. */
export function postCycle(cookie: string, cycleId: number, form: Record<string, string>) {
  return call(() => cycleAction(args(request(`/cycles/${cycleId}`, { cookie, form }), { cycleId: String(cycleId) })))
}

export function loadCycle(cookie: string, cycleId: number | string) {
  return call(() => cycleLoader(args(request(`/cycles/${cycleId}`, { cookie }), { cycleId: String(cycleId) })))
}

export type RaterSpec = { name: string; email: string; relationship: Relationship }

/** The candidate nominates; returns the new rater's id (throws when refused). */
export async function nominate(candidateCookie: string, cycleId: number, spec: RaterSpec) {
  const res = await postCycle(candidateCookie, cycleId, { intent: 'nominate', ...spec })
  if (res.status !== 302) throw new Error(`nomination refused: ${res.status} ${JSON.stringify(res.data)}`)
  return getDb()
    .select({ id: raters.id })
    .from(raters)
    .where(and(eq(raters.cycleId, cycleId), eq(sql`lower(${raters.email})`, spec.email.toLowerCase())))
    .get()!.id
}

export const raterRow = (raterId: number) => getDb().select().from(raters).where(eq(raters.id, raterId)).get()!
export const cycleRow = (cycleId: number) =>
  getDb().select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get()!

/** The mentor (or HR) approves or rejects a nomination as it stands (or with edits). */
export function decide(
  cookie: string,
  cycleId: number,
  raterId: number,
  intent: 'approve' | 'reject',
  edits: Partial<RaterSpec> = {},
) {
  const r = raterRow(raterId)
  return postCycle(cookie, cycleId, {
    intent,
    raterId: String(raterId),
    name: r.name,
    email: r.email,
    relationship: r.relationship,
    ...edits,
  })
}

/** The raw personal-link token in the newest outbox message to a rater. */
export function latestLinkToken(raterId: number): string {
  const message = getDb()
    .select()
    .from(outbox)
    .where(eq(outbox.raterId, raterId))
    .orderBy(desc(outbox.id))
    .limit(1)
    .get()
  if (!message) throw new Error(`no outbox message for rater ${raterId}`)
  const match = message.body.match(/\/r\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/)
  if (!match) throw new Error(`no personal link in message ${message.id}`)
  return match[1]!
}

let address = 0
/** A fresh client address, so the per-address exchange limit never couples tests. */
export const freshAddress = () => {
  address++
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`
}

/** Opens a personal link (r.$token loader) from a client address. */
export function openLink(token: string, remoteAddress = freshAddress()) {
  return call(() =>
    tokenLoader(args(request(`/r/${token}`, { headers: { 'X-STO-Remote-Address': remoteAddress } }), { token })),
  )
}

/** Exchanges a personal link for the rater cookie; returns the Cookie header of that "browser". */
export async function raterBrowser(token: string) {
  const res = await openLink(token)
  if (res.status !== 302) throw new Error(`link exchange failed: ${res.status} ${JSON.stringify(res.data)}`)
  return res.headers.get('Set-Cookie')!.split(';')[0]!
}

export const loadRate = (cookie: string) => call(() => rateLoader(args(request('/rate', { cookie }))))
export const postRate = (cookie: string, form: Record<string, string>) =>
  call(() => rateAction(args(request('/rate', { cookie, form }))))

/**
 * A cycle in `collecting`: nominated by the candidate, approved by `approverCookie`, invited.
 * Returns the raters with their raw tokens (from the outbox).
 */
export async function collectingCycle(opts: {
  approverCookie: string
  candidateCookie: string
  candidateId: number
  openerCookie?: string
  specs: RaterSpec[]
}) {
  const cycleId = await openCycle(opts.openerCookie ?? opts.approverCookie, opts.candidateId)
  const created: Array<RaterSpec & { id: number; token: string }> = []
  for (const spec of opts.specs) {
    const id = await nominate(opts.candidateCookie, cycleId, spec)
    const res = await decide(opts.approverCookie, cycleId, id, 'approve')
    if (res.status !== 302) throw new Error(`approval refused: ${res.status} ${JSON.stringify(res.data)}`)
    created.push({ ...spec, id, token: '' })
  }
  const invited = await postCycle(opts.approverCookie, cycleId, { intent: 'invite' })
  if (invited.status !== 302) throw new Error(`invitations refused: ${invited.status} ${JSON.stringify(invited.data)}`)
  for (const r of created) r.token = latestLinkToken(r.id)
  return { cycleId, raters: created }
}

let raterCounter = 0
/** Distinct rater specs: `n` of one relationship. */
export function specs(relationship: Relationship, n: number, prefix = relationship): RaterSpec[] {
  return Array.from({ length: n }, () => {
    raterCounter++
    return {
      name: `${prefix} Rater ${raterCounter}`,
      email: `${prefix.replace(/_/g, '-')}-${raterCounter}@raters.example`,
      relationship,
    }
  })
}

/** The minimum approvable set: one manager and three peers. */
export const minimumSet = () => [...specs('manager', 1), ...specs('peer', 3)]

/** The `notice` shown after a redirect to the cycle page. */
/** The status message the next page of this session shows (kept server-side, read once, as the page reads it). */
export const noticeOf = (cookie: string) =>
  takeNotice(new Request('http://localhost/', { headers: { Cookie: cookie } }))

/**
 * The reply of a refused cycle-page action (formAction's conform reply), read as the form's
 * message (form-level errors, joined) and the first message beside each field.
 */
export type CycleReply = {
  ok: false
  message: string | null
  fieldErrors: Record<string, string>
  /** The rater the refused form was about (the page shows the message beside that row), or null. */
  raterId: string | null
}
export const reply = (data: unknown): CycleReply => {
  const body = data as { target?: string; result?: { error?: Record<string, string[] | null> } } | null
  const errors = body?.result?.error ?? {}
  const fieldErrors = Object.fromEntries(
    Object.entries(errors).flatMap(([field, messages]) => (field && messages?.length ? [[field, messages[0]!]] : [])),
  )
  const form = errors['']
  return { ok: false, message: form?.length ? form.join(' ') : null, fieldErrors, raterId: body?.target ?? null }
}

let freshCycles = 0
/** A new candidate mentored by `mentorId`, with a cycle opened for them by `openerCookie` (HR). */
export async function freshCycle(openerCookie: string, mentorId: number, namePrefix = 'Fresh Candidate') {
  freshCycles++
  const cand = await loggedIn({ roles: ['candidate'], name: `${namePrefix} ${freshCycles}`, candidate: { mentorId } })
  const cycleId = await openCycle(openerCookie, cand.id)
  return { cand, cycleId }
}

/**
 * The decision matrix (issue 12): every program decision action × every actor relation × every
 * candidate state, through the real route actions, answers exactly as the table beside this test
 * (decision-matrix.ts) says. Allowed cells must make the intended change and record it in the audit
 * log with the actor; refused cells must leave every program and people table and the audit log
 * untouched. The intents of the three decision routes are read from their source, so a new intent
 * without an entry in the table fails here.
 *
 * Each case is a fresh candidate built through the models (tests/helpers/decision-fixtures.ts);
 * refusals write nothing, so a case is shared by the actors of one kind until a decision changes it.
 *
 * Run with DECISION_MATRIX_PRINT=1 to print the current answers in the table's format.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '~/domain/roles'
import { deactivatePerson } from '~/models/people.server'
import { getFramework } from '~/utils/content.server'
import { transaction } from '~/utils/db.server'
import { loggedIn } from '../helpers/db'
import {
  advancementOf,
  auditSince,
  buildCase,
  certificateOf,
  enrollmentRow,
  milestoneStatus,
  pauseCount,
  profileStage,
  proposalOf,
  snapshot,
  type Needs,
} from '../helpers/decision-fixtures'
import { loadGate, postGate, postMilestone, postTimeline, today } from '../helpers/program'
import { ACTIONS, ACTORS, INTENTS, STATES, expected, type Action, type Actor, type State } from './decision-matrix'

type Person = Awaited<ReturnType<typeof loggedIn>>
/** Which candidate an actor acts on: their relation decides how the case is built. */
type Kind = 'plain' | 'self' | 'changed' | 'hrMentor'
const kindOf: Record<Actor, Kind> = {
  candidate: 'plain',
  mentor: 'plain',
  recommender: 'changed',
  otherMentor: 'plain',
  otherHr: 'plain',
  admin: 'plain',
  hrCandidate: 'self',
  hrMentor: 'hrMentor',
  deactivatedHr: 'plain',
}

let people: Record<
  'mentor' | 'recommender' | 'otherMentor' | 'otherHr' | 'admin' | 'hrMentor' | 'deactivatedHr' | 'fixtureHr',
  Person
>

beforeAll(async () => {
  people = {
    mentor: await loggedIn({ roles: ['mentor'], name: 'Mabel Mentor' }),
    recommender: await loggedIn({ roles: ['mentor', 'hr'], name: 'Rufus Recommender' }),
    otherMentor: await loggedIn({ roles: ['mentor'], name: 'Otto Othermentor' }),
    otherHr: await loggedIn({ roles: ['hr'], name: 'Hana Otherhr' }),
    admin: await loggedIn({ roles: ['admin'], name: 'Ada Admin' }),
    hrMentor: await loggedIn({ roles: ['hr', 'mentor'], name: 'Hector Hr-Mentor' }),
    deactivatedHr: await loggedIn({ roles: ['hr'], name: 'Dora Deactivated' }),
    fixtureHr: await loggedIn({ roles: ['hr'], name: 'Fiona Fixture-HR' }),
  }
  transaction((tx) => deactivatePerson(tx, people.admin.id, people.deactivatedHr.id))
})

type Case = Awaited<ReturnType<typeof buildCase>>
type Ctx = { c: Case; actor: Person & { cookie: string }; kind: Kind }

const fw = () => getFramework()
const mentorFor = (kind: Kind) => (kind === 'hrMentor' ? people.hrMentor : people.mentor)
const OVERRIDE_REASON = 'Strong evidence from the pilot outweighs the missing conditions.'

type Spec = {
  route: 'timeline' | 'gate' | 'milestone'
  needs: Needs
  form: (x: Ctx) => Promise<Record<string, string | string[]>> | Record<string, string | string[]>
  audit: string
  /** After an allowed decision: null when the intended change is there, else what is missing. */
  effect: (x: Ctx) => string | null
}

const enrolForm =
  (stageId: string, extra: Record<string, string | string[]> = {}) =>
  (x: Ctx) => ({
    intent: 'enroll',
    stageId,
    enrolledOn: today(),
    mentorId: String(mentorFor(x.kind).id),
    ...extra,
  })
/** Enrolled at `stageId` by the actor, and no certificate issued for the new enrollment. */
const enrolledAt = (stageId: string) => (x: Ctx) => {
  const e = enrollmentRow(x.c.candidate.id)
  return e?.status === 'active' &&
    e.enrolledBy === x.actor.id &&
    profileStage(x.c.candidate.id) === stageId &&
    !certificateOf(x.c.candidate.id).some((cert) => cert.enrollmentId === e.id)
    ? null
    : `enrollment ${JSON.stringify(e)}, stage ${profileStage(x.c.candidate.id)}`
}
const statusIs = (status: string) => (x: Ctx) => {
  const e = enrollmentRow(x.c.candidate.id)
  return e?.status === status ? null : `enrollment status ${e?.status}`
}
const milestoneIs = (status: string) => (x: Ctx) => {
  const s = milestoneStatus(x.c.milestoneId!)
  return s === status ? null : `milestone status ${s}`
}
async function fingerprintFor(x: Ctx) {
  const page = await loadGate(x.actor.cookie, x.c.candidate.id)
  return page.status === 200 ? (page.data as { fingerprint: string }).fingerprint : '0'.repeat(32)
}
const advancement =
  (status: string, extra?: (a: NonNullable<ReturnType<typeof advancementOf>>) => boolean) => (x: Ctx) => {
    const e = enrollmentRow(x.c.candidate.id)
    const a = e ? advancementOf(e.id) : null
    const by = status === 'recommended' ? a?.recommendedBy : a?.decidedBy
    return a && a.status === status && by === x.actor.id && (extra?.(a) ?? true)
      ? null
      : `advancement ${JSON.stringify(a)}`
  }

const specs: Record<Action, Spec> = {
  enroll: {
    route: 'timeline',
    needs: {},
    form: enrolForm('shadow'),
    audit: 'program.enroll',
    effect: enrolledAt('shadow'),
  },
  'enroll-later': {
    route: 'timeline',
    needs: {},
    form: enrolForm('assistant-sto', {
      reason: 'Led an AI product at a previous employer.',
      delegatedDomain: fw().delegatedDomains[0]!.id,
    }),
    audit: 'program.enroll-proposed',
    effect: (x) => {
      const p = proposalOf(x.c.candidate.id)
      const e = enrollmentRow(x.c.candidate.id)
      if (e && (e.status === 'active' || e.status === 'paused'))
        return `a proposal took effect at once: ${JSON.stringify(e)}`
      return p?.status === 'pending' && p.proposedBy === x.actor.id && p.stage === 'assistant-sto'
        ? null
        : `proposal ${JSON.stringify(p)}`
    },
  },
  'confirm-enrolment': {
    route: 'timeline',
    needs: { proposal: true },
    form: (x) => ({ intent: 'confirm-enrolment', proposalId: String(x.c.proposalId ?? 999_999) }),
    audit: 'program.enroll',
    effect: (x) => {
      const e = enrollmentRow(x.c.candidate.id)
      return e?.status === 'active' &&
        e.confirmedBy === x.actor.id &&
        e.enrolledBy === people.fixtureHr.id &&
        profileStage(x.c.candidate.id) === 'assistant-sto'
        ? null
        : `enrollment ${JSON.stringify(e)}`
    },
  },
  'cancel-enrolment': {
    route: 'timeline',
    needs: { proposal: true },
    form: (x) => ({
      intent: 'cancel-enrolment',
      proposalId: String(x.c.proposalId ?? 999_999),
      reason: 'Start at Shadow instead.',
    }),
    audit: 'program.enroll-cancelled',
    effect: (x) => {
      const p = proposalOf(x.c.candidate.id)
      return p?.status === 'cancelled' && p.decidedBy === x.actor.id ? null : `proposal ${JSON.stringify(p)}`
    },
  },
  'enroll-final': {
    route: 'timeline',
    needs: {},
    form: (x) =>
      enrolForm(fw().stages.at(-1)!.id, {
        reason: 'Certified as an STO at a previous employer.',
        certifiedTiers: [fw().riskTiers[0]!.id],
      })(x),
    audit: 'program.enroll',
    effect: () => 'an enrolment at the final stage must never take effect',
  },
  pause: {
    route: 'timeline',
    needs: {},
    form: () => ({ intent: 'pause', reason: 'Parental leave' }),
    audit: 'program.pause',
    effect: (x) =>
      statusIs('paused')(x) ?? (pauseCount(enrollmentRow(x.c.candidate.id)!.id) > 0 ? null : 'no pause row'),
  },
  resume: {
    route: 'timeline',
    needs: {},
    form: () => ({ intent: 'resume' }),
    audit: 'program.resume',
    effect: statusIs('active'),
  },
  withdraw: {
    route: 'timeline',
    needs: {},
    form: () => ({ intent: 'withdraw', reason: 'Moved to another role entirely.' }),
    audit: 'program.withdraw',
    effect: statusIs('withdrawn'),
  },
  'add-milestone': {
    route: 'timeline',
    needs: {},
    form: () => ({
      intent: 'add-milestone',
      title: 'One-off deliverable',
      description: 'A deliverable agreed for this candidate.',
      evidence: 'The document.',
      signOff: 'mentor',
      required: 'no',
    }),
    audit: 'milestone.add',
    effect: () => null,
  },
  'sign-mentor-step': {
    route: 'milestone',
    needs: { milestone: 'mentor' },
    form: () => ({ intent: 'sign', note: 'Good work.' }),
    audit: 'milestone.signoff',
    effect: milestoneIs('signed-off'),
  },
  'sign-hr-step': {
    route: 'milestone',
    needs: { milestone: 'hr' },
    form: () => ({ intent: 'sign', note: 'Checked.' }),
    audit: 'milestone.signoff',
    effect: milestoneIs('signed-off'),
  },
  return: {
    route: 'milestone',
    needs: { milestone: 'mentor' },
    form: () => ({ intent: 'return', note: 'Add the decision log, please.' }),
    audit: 'milestone.return',
    effect: milestoneIs('returned'),
  },
  revoke: {
    route: 'milestone',
    needs: { milestone: 'signed' },
    form: (x) => ({
      intent: 'revoke',
      signoffId: String(x.c.signoffId),
      reason: 'Signed off against the wrong evidence.',
    }),
    audit: 'milestone.revoke',
    effect: milestoneIs('submitted'),
  },
  recommend: {
    route: 'gate',
    needs: {},
    form: () => ({ intent: 'recommend', note: 'Ready for the next stage, in my view.' }),
    audit: 'program.recommend',
    effect: advancement('recommended'),
  },
  approve: {
    route: 'gate',
    needs: { gate: 'ready', recommended: true },
    form: async (x) => ({
      intent: 'approve',
      fingerprint: await fingerprintFor(x),
      note: 'Approved.',
      delegatedDomain: fw().delegatedDomains[0]!.id,
    }),
    audit: 'program.advance',
    effect: (x) =>
      advancement('approved', (a) => !a.override)(x) ??
      (profileStage(x.c.candidate.id) === 'assistant-sto' ? null : 'stage not advanced'),
  },
  'approve-override': {
    route: 'gate',
    needs: { gate: 'unmet', recommended: true },
    form: async (x) => ({
      intent: 'approve',
      fingerprint: await fingerprintFor(x),
      override: 'yes',
      overrideReason: OVERRIDE_REASON,
      note: 'Approved with an override.',
      delegatedDomain: fw().delegatedDomains[0]!.id,
    }),
    audit: 'program.advance.override',
    effect: (x) =>
      advancement('approved', (a) => a.override && a.overrideReason === OVERRIDE_REASON)(x) ??
      (profileStage(x.c.candidate.id) === 'assistant-sto' ? null : 'stage not advanced'),
  },
  decline: {
    route: 'gate',
    needs: { gate: 'unmet', recommended: true },
    form: () => ({ intent: 'decline', note: 'Not yet: more evidence from a live pod is needed.' }),
    audit: 'program.decline',
    effect: advancement('declined'),
  },
}

let serial = 0
async function newCase(kind: Kind, state: State, needs: Needs) {
  serial++
  const roles: Role[] = kind === 'self' ? ['candidate', 'hr'] : ['candidate']
  const firstMentorId =
    kind === 'changed' ? people.recommender.id : kind === 'hrMentor' ? people.hrMentor.id : people.mentor.id
  return buildCase({
    name: `Matrix Candidate ${serial}`,
    roles,
    hrId: people.fixtureHr.id,
    adminId: people.admin.id,
    firstMentorId,
    changeTo: kind === 'changed' ? people.mentor.id : undefined,
    state,
    needs,
  })
}

function actorPerson(actor: Actor, c: Case): Person {
  if (actor === 'candidate' || actor === 'hrCandidate') return c.candidate as Person
  return people[actor]
}

async function post(spec: Spec, x: Ctx) {
  const form = await spec.form(x)
  if (spec.route === 'timeline') return postTimeline(x.actor.cookie, x.c.candidate.id, form)
  if (spec.route === 'gate') return postGate(x.actor.cookie, x.c.candidate.id, form)
  return postMilestone(x.actor.cookie, x.c.milestoneId!, form as Record<string, string>)
}

/** Runs one action over every actor and state; returns the row of answers per actor and the problems found. */
async function runAction(action: Action) {
  const spec = specs[action]
  const got = Object.fromEntries(ACTORS.map((a) => [a, [] as string[]])) as Record<Actor, string[]>
  const problems: string[] = []
  for (const state of STATES) {
    const cases = new Map<Kind, Case>()
    for (const actor of ACTORS) {
      const want = expected[action][actor]?.split(' ')[STATES.indexOf(state)]
      if (spec.route === 'milestone' && state === 'none') {
        got[actor].push('-')
        continue
      }
      const kind = kindOf[actor]
      if (!cases.has(kind)) cases.set(kind, await newCase(kind, state, spec.needs))
      const c = cases.get(kind)!
      const x: Ctx = { c, actor: actorPerson(actor, c), kind }
      const before = snapshot()
      let code: string
      let res: Awaited<ReturnType<typeof post>> | null = null
      try {
        res = await post(spec, x)
        const location = res.headers.get('Location') ?? ''
        code = res.status >= 300 && res.status < 400 ? (location.startsWith('/login') ? 'L' : 'ok') : String(res.status)
      } catch (error) {
        code = `500`
        problems.push(`${action} · ${actor} · ${state}: threw ${(error as Error).message}`)
      }
      const after = snapshot()
      const where = `${action} · ${actor} · ${state}`
      if (code === 'ok') {
        const effect = spec.effect(x)
        if (effect) problems.push(`${where}: allowed, but ${effect}`)
        const entries = auditSince(before.lastAuditId)
        if (!entries.some((e) => e.action === spec.audit && e.actorId === x.actor.id))
          problems.push(
            `${where}: allowed, but no ${spec.audit} audit entry by the actor (${JSON.stringify(entries.map((e) => [e.action, e.actorId]))})`,
          )
      } else if (after.digest !== before.digest || after.auditCount !== before.auditCount) {
        problems.push(`${where}: refused with ${code}, but something was written`)
      }
      if (after.digest !== before.digest) cases.delete(kind)
      got[actor].push(code)
      if (want !== code)
        problems.push(
          `${where}: expected ${want ?? '(no entry)'}, got ${code}${res?.data ? ` ${JSON.stringify(res.data)}` : ''}`,
        )
    }
  }
  return { got, problems }
}

const print = process.env.DECISION_MATRIX_PRINT === '1'
const printed: string[] = []

describe('the decision matrix', () => {
  it('has an entry for every intent of the decision routes, and a row for every action', () => {
    const missing: string[] = []
    for (const [file, intents] of Object.entries(INTENTS)) {
      const source = fs.readFileSync(path.resolve('app/routes', `${file}.tsx`), 'utf8')
      const found = [...source.matchAll(/intent:\s*z\.literal\('([^']+)'\)/g)].map((m) => m[1]!)
      expect(found.length, `${file}: intents found in the source`).toBeGreaterThan(0)
      for (const intent of found)
        if (!(intent in intents)) missing.push(`${file}: intent "${intent}" has no entry in decision-matrix.ts`)
      for (const intent of Object.keys(intents))
        if (!found.includes(intent)) missing.push(`${file}: the table lists "${intent}", the route has no such intent`)
    }
    const covered = new Set(
      Object.values(INTENTS).flatMap((i) => Object.values(i).flatMap((v) => (Array.isArray(v) ? v : []))),
    )
    for (const action of ACTIONS) {
      if (!covered.has(action)) missing.push(`action ${action} exercises no intent`)
      for (const actor of ACTORS) {
        const row = expected[action]?.[actor]
        if (row === undefined || row.split(' ').length !== STATES.length)
          missing.push(`${action} · ${actor}: no row of ${STATES.length} answers`)
      }
    }
    if (!print) expect(missing).toEqual([])
  })

  for (const action of ACTIONS) {
    it(`${action}: every actor in every state answers as the table says`, async () => {
      const { got, problems } = await runAction(action)
      if (print) {
        printed.push(`  '${action}': {\n${ACTORS.map((a) => `    ${a}: '${got[a].join(' ')}',`).join('\n')}\n  },`)
        if (action === ACTIONS.at(-1)) console.log(printed.join('\n'))
        if (problems.length) console.log(problems.join('\n'))
        return
      }
      expect(problems).toEqual([])
    }, 60_000)
  }
})

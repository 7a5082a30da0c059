/**
 * The bad-input sweep ("Resilience and security, proven"): every route module in app/routes that
 * exports an `action` gets thousands of malformed bodies — missing fields, every field empty, wrong
 * types, repeated and duplicated keys, huge strings, unicode edge cases, unknown extra fields, SQL
 * and HTML metacharacters, unknown intents, bad ids (in the body and in the URL), broken multipart
 * bodies and files of the wrong type or size — hand-written and generated with fast-check from a
 * fixed seed. Each is sent as a real Request by the persona the action is for (so the sweep reaches
 * validation, not just the 403), and each must be answered with a 4xx or a form error, never a 5xx,
 * with every table of the database unchanged (a SHA-256 per table, before and after each batch).
 *
 * Every body is invalid by construction (tests/helpers/bad-input.ts: each ends with a "breaker"),
 * so a 2xx/3xx answer is a failure, except the outcomes exempted below by name, with the reason.
 *
 * The route modules are read from the directory when the tests are collected, so a new action is
 * swept automatically — and fails here until it has an entry in `table` below.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAttempts } from '#db/schema/auth'
import { planItems, signoffs } from '#db/schema/program'
import { addPlanItem } from '~/models/plan.server'
import { decideMilestone, submitEvidence } from '~/models/milestones.server'
import { findBackground, getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { MAX_CSV_BYTES } from '~/utils/csv.server'
import { MAX_FILE_BYTES } from '~/utils/uploads.server'
import {
  BAD_IDS,
  BAD_INTENTS,
  RAW_URLENCODED,
  WRONG_TYPES,
  breakers as b,
  generatedBodies,
  generatedCsvs,
  handBodies,
  notAccepted,
  rawMultipart,
  runAction,
  setField,
  tableChecksums,
  textOf,
  toRequest,
  type Body,
  type Breaker,
  type Encoding,
  type FileValue,
  type FormBody,
  type Outcome,
  type Shape,
} from '../helpers/bad-input'
import {
  allDomainIds,
  allStatementIds,
  collectingCycle,
  cycleRow,
  isoDay,
  minimumSet,
  nominate,
  openCycle,
  postCycle,
  postRate,
  raterBrowser,
  answerForm,
  specs,
} from '../helpers/cycles'
import { TEST_PASSWORD, loggedIn, makePerson } from '../helpers/db'
import { daysFromToday, enrollVia, milestonesOf, pdfBytes } from '../helpers/program'

// ---- the route modules with an action, read at collection time ----

const ROUTES_DIR = path.resolve('app/routes')
type ActionModule = { action: (args: never) => unknown }
function routeFiles(): string[] {
  return fs
    .readdirSync(ROUTES_DIR, { withFileTypes: true })
    .flatMap((d) => {
      if (d.isFile() && /\.(tsx?|jsx?)$/.test(d.name)) return [d.name]
      // Folder routes: app/routes/<name>/route.tsx.
      if (d.isDirectory())
        return fs
          .readdirSync(path.join(ROUTES_DIR, d.name))
          .filter((f) => /^route\.(tsx?|jsx?)$/.test(f))
          .map((f) => `${d.name}/${f}`)
      return []
    })
    .sort()
}
const modules = new Map<string, ActionModule>()
for (const file of routeFiles()) {
  const mod = (await import(
    /* @vite-ignore */ pathToFileURL(path.join(ROUTES_DIR, file)).href
  )) as Partial<ActionModule>
  if (typeof mod.action === 'function') modules.set(file, mod as ActionModule)
}

// ---- fixtures ----

type Viewer = Awaited<ReturnType<typeof loggedIn>>
const NEW_PASSWORD = 'violet kettle under moonlight'
const COMMON_PASSWORD = '1qaz2wsx3edc'

/** Filled in by beforeAll of "with people"; targets read it lazily. */
const c = {} as {
  admin: Viewer
  hr: Viewer
  mentor: Viewer
  account: Viewer
  editee: { id: number; email: string }
  erasee: { id: number; email: string }
  /** Enrolled at Shadow: a plan item, milestones open, submitted and signed off. */
  prog: Viewer
  planItemId: number
  openMilestoneId: number
  submittedMilestoneId: number
  signedMilestoneId: number
  signoffId: number
  backgroundGapCapability: string
  /** A cycle in nominating with two proposed raters. */
  cyc: Viewer
  cycleId: number
  proposedRaterId: number
  proposedRaterEmail: string
  /** A rater of another (collecting) cycle, and a rater cookie of that cycle. */
  otherCycleRaterId: number
  raterCookie: string
  /** A closed cycle with its report. */
  rep: Viewer
  closedCycleId: number
  reportGapCapability: string
  uploadsDir: string
}

// ---- targets: who sends what to which action ----

type Target = {
  name: string
  /** The Cookie header of the persona (none: anonymous). */
  cookie?: () => string | undefined
  params?: () => Record<string, string>
  path: (params: Record<string, string>) => string
  shapes: () => Shape[]
  /** Encodings of the hand-written and generated bodies. */
  encodings: Encoding[]
  /** Generated bodies (fast-check). */
  generated?: number
  /** More bodies of this target. */
  extra?: () => Body[]
  /** A 2xx/3xx answer that changes nothing, exempted by name (return why), else null. */
  harmless?: (o: Outcome, body: Body) => string | null
  /** Tables left out of the checksum, for this target only (say why where they are set). */
  skipTables?: string[]
  /** More checks after the batch. */
  after?: (outcomes: Outcome[], bodies: Body[]) => void
}
type Entry = { emptyDatabase?: boolean; targets: Target[] }

const cookieOf = (v: () => Viewer) => () => v().cookie
/** A breaker that is no change: the action refuses the body for the state of the target (named in the label). */
const refused = (why: string): Breaker => ({ label: `refused: ${why}`, apply: (e) => e })
const badIntent = (intent = 'nope'): Breaker => b.set('intent', intent)
const nameBreakers = (f = 'name') => [b.missing(f), b.set(f, 'a\u0007b'), b.set(f, '   '), b.tooLong(f, 120)]
const emailBreakers = (f = 'email') => [
  b.missing(f),
  b.set(f, 'not-an-email'),
  b.set(f, 'a@'),
  b.set(f, 'two words@example.com'),
  b.tooLong(f, 254),
]
const idBreakers = (f: string) => [
  b.set(f, 'abc'),
  b.set(f, '0'),
  b.set(f, '-5'),
  b.set(f, '1.5'),
  b.set(f, '999999999'),
]
const csvFile = (text: string): FileValue => ({
  file: new TextEncoder().encode(text),
  name: 'people.csv',
  type: 'text/csv',
})
const CSV_HEADER = 'name,email,roles,background,mentor_email,stage,enrollment_date'
const BAD_ROW = 'Bad Row,not-an-email,candidate,engineering-manager,,shadow,2026-01-05'

/** The questionnaire (self-assessment and rater form): a few statements and a comment. */
function questionnaireShapes(): Shape[] {
  const [s0, s1, s2] = allStatementIds()
  const [d0] = allDomainIds()
  const qb: Breaker[] = [
    b.missing('intent'),
    badIntent('Save'),
    b.set('intent', ['nope', 'save']),
    b.set(`s:${s0}`, '6'),
    b.set(`s:${s0}`, '0'),
    b.set(`s:${s0}`, ' 3'),
    b.set(`s:${s0}`, '3.0'),
    b.set(`s:${s0}`, 'NA'),
    b.set(`s:${s0}`, ['3', '4']),
    b.set('s:no-such.statement', '3'),
    b.set(`c:no-such-domain`, 'A comment'),
    b.tooLong(`c:${d0}`, 2000),
    b.set(`s:${s1}`, notAccepted('answers.pdf'), `s:${s1} is a file`),
  ]
  const fields = { [`s:${s0}`]: '3', [`s:${s1}`]: 'na', [`s:${s2}`]: '', [`c:${d0}`]: 'Clear thinking about models.' }
  return [
    { name: 'save a draft', fields: { intent: 'save', ...fields }, breakers: qb },
    // Not every statement answered: submitting is refused even when the rest is valid.
    {
      name: 'submit',
      fields: { intent: 'submit', ...fields },
      breakers: [...qb, refused('not every statement is answered')],
    },
  ]
}

const table: Record<string, Entry> = {
  'setup.tsx': {
    emptyDatabase: true,
    targets: [
      {
        name: 'anonymous, on the empty database',
        path: () => '/setup',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'first admin',
            fields: {
              name: 'Ada Admin',
              email: 'ada@example.com',
              password: NEW_PASSWORD,
              confirmPassword: NEW_PASSWORD,
            },
            breakers: [
              {
                label: 'confirmPassword differs',
                field: 'confirmPassword',
                apply: (e) => setField(e, 'confirmPassword', `${textOf(e, 'password')}-differs`),
              },
              b.tooShort('password', 12),
              b.tooLong('password', 128),
              b.missing('password'),
              {
                label: 'a common password',
                field: 'password',
                apply: (e) => setField(setField(e, 'password', COMMON_PASSWORD), 'confirmPassword', COMMON_PASSWORD),
              },
              ...emailBreakers(),
              ...nameBreakers(),
            ],
          },
        ],
      },
    ],
  },

  'login.tsx': {
    targets: [
      {
        name: 'anonymous, a different client address for every body',
        path: () => '/login',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            // Never the right password: no body can log in.
            name: 'log in',
            fields: { email: c.admin.email, password: 'not the password', redirectTo: '/people' },
            breakers: [
              {
                label: 'a wrong password',
                field: 'password',
                apply: (e) => setField(e, 'password', `${textOf(e, 'password')}#not-it`),
              },
              b.missing('password'),
              b.set('password', ''),
              b.tooLong('password', 1024),
              ...emailBreakers(),
              b.tooLong('redirectTo', 2048),
            ],
          },
        ],
        // login_attempts (and its sqlite_sequence row) change by design: every attempt that passes
        // the form check is recorded for the rate limits. Left out of the checksum here, and checked
        // instead: it grew by exactly the number of answers that reached the password check.
        skipTables: ['login_attempts'],
        after: (outcomes) => {
          const checked = outcomes.filter((o) =>
            JSON.stringify(o.data ?? null).includes('do not match an active account'),
          ).length
          expect(
            loginAttemptCount() - loginAttemptsBefore,
            'login_attempts grew by the attempts that reached the password check',
          ).toBe(checked)
          expect(checked).toBeGreaterThan(0)
        },
      },
    ],
  },

  'logout.tsx': {
    targets: [
      {
        // Logging out ignores the body: the answer is always the redirect to /login. Anonymous (and
        // with a forged session cookie) so there is no session to end: the database stays the same.
        name: 'anonymous and with a forged session cookie',
        cookie: () => 'sto_session=forged-and-not-a-session-token-at-all-000000000000',
        path: () => '/logout',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'log out',
            fields: { anything: 'x', intent: 'logout' },
            breakers: [refused('logout ignores the body')],
          },
        ],
        harmless: (o) =>
          o.status === 302 && o.location === '/login' ? 'logout ignores the body and ends no session' : null,
      },
    ],
  },

  'account.tsx': {
    targets: [
      {
        name: 'a candidate changing their own password',
        cookie: cookieOf(() => c.account),
        path: () => '/account',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'change password',
            fields: { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
            breakers: [
              {
                label: 'a wrong current password',
                field: 'currentPassword',
                apply: (e) => setField(e, 'currentPassword', `${textOf(e, 'currentPassword')}-wrong`),
              },
              b.missing('currentPassword'),
              b.tooLong('currentPassword', 1024),
              {
                label: 'confirmPassword differs',
                field: 'confirmPassword',
                apply: (e) => setField(e, 'confirmPassword', `${textOf(e, 'password')}-differs`),
              },
              b.missing('confirmPassword'),
              b.tooShort('password', 12),
              b.tooLong('password', 128),
              {
                label: 'a common password',
                field: 'password',
                apply: (e) => setField(setField(e, 'password', COMMON_PASSWORD), 'confirmPassword', COMMON_PASSWORD),
              },
            ],
          },
        ],
      },
    ],
  },

  'account_.feedback-given.tsx': {
    targets: [
      {
        // Holding another rater's session: even the valid-looking body is refused (403), the rest 400.
        name: 'a candidate linking a rater row of another address',
        cookie: () => `${c.account.cookie}; ${c.raterCookie}`,
        path: () => '/account/feedback-given',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'link my feedback',
            fields: { intent: 'link' },
            breakers: [
              refused('the rater session is not of the account’s email'),
              b.missing('intent'),
              badIntent('show'),
              b.set('email', c.proposedRaterEmail),
              b.set('personId', String(c.account.id)),
              b.set('raterId', String(c.otherCycleRaterId)),
            ],
          },
        ],
      },
    ],
  },

  'admin.people.new.tsx': {
    targets: [
      {
        name: 'an admin adding a person',
        cookie: cookieOf(() => c.admin),
        path: () => '/admin/people/new',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'new candidate',
            fields: {
              name: 'Nina Newcomer',
              email: 'nina.newcomer@example.com',
              roles: ['candidate'],
              background: 'technical-product-manager',
              stage: 'shadow',
              joinedOn: '2026-03-01',
              mentorId: String(c.mentor.id),
              password: NEW_PASSWORD,
            },
            ids: ['mentorId'],
            breakers: [
              ...emailBreakers(),
              b.set('email', c.admin.email.toUpperCase(), 'email of someone else'),
              ...nameBreakers(),
              b.missing('roles'),
              b.set('roles', 'superuser'),
              b.set('roles', ['hr', 'hr']),
              b.set('joinedOn', '2026-02-30'),
              b.set('joinedOn', '01/03/2026'),
              b.tooLong('background', 64),
              b.tooLong('stage', 64),
              b.tooShort('password', 12),
              b.tooLong('password', 128),
              b.set('password', COMMON_PASSWORD),
              b.missing('password'),
              b.set('mentorId', '0'),
              b.set('mentorId', 'abc'),
            ],
          },
        ],
      },
    ],
  },

  'admin.people.$personId.tsx': {
    targets: [
      {
        name: 'an admin editing a candidate',
        cookie: cookieOf(() => c.admin),
        params: () => ({ personId: String(c.editee.id) }),
        path: (p) => `/admin/people/${p.personId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'save',
            fields: {
              intent: 'save',
              name: 'Eddie Edited',
              email: c.editee.email,
              roles: ['candidate'],
              background: 'strategy-consultant',
              stage: 'shadow',
              joinedOn: '2026-01-15',
              mentorId: String(c.mentor.id),
            },
            ids: ['mentorId'],
            breakers: [
              ...emailBreakers(),
              b.set('email', c.admin.email, 'email of someone else'),
              ...nameBreakers(),
              b.missing('roles'),
              b.set('roles', 'root'),
              b.set('roles', ['candidate', 'candidate']),
              b.set('joinedOn', '2026-1-5'),
              b.tooLong('stage', 64),
              b.set('mentorId', '0'),
              b.set('mentorId', 'abc'),
              b.set('password', 'a password is not part of this form'),
              badIntent(),
              badIntent('SAVE'),
            ],
          },
          {
            name: 'set password',
            fields: { intent: 'set-password', password: NEW_PASSWORD },
            breakers: [
              b.tooShort('password', 12),
              b.tooLong('password', 128),
              b.set('password', COMMON_PASSWORD),
              b.missing('password'),
              badIntent('set_password'),
            ],
          },
        ],
        extra: () =>
          BAD_INTENTS.map((intent) =>
            form('unknown intent', [
              ['intent', intent],
              ['name', 'X'],
            ]),
          ),
      },
      {
        name: 'an admin on their own page',
        cookie: cookieOf(() => c.admin),
        params: () => ({ personId: String(c.admin.id) }),
        path: (p) => `/admin/people/${p.personId}`,
        encodings: ['urlencoded'],
        generated: 30,
        shapes: () => [
          {
            name: 'deactivate self',
            fields: { intent: 'deactivate' },
            breakers: [refused('an admin cannot deactivate themselves'), badIntent('Deactivate')],
          },
          {
            name: 'reactivate self',
            fields: { intent: 'reactivate' },
            breakers: [refused('they are active already'), badIntent('re-activate')],
          },
          {
            name: 'drop own admin role',
            fields: { intent: 'save', name: 'Ada Admin', email: c.admin.email, roles: ['hr'] },
            breakers: [refused('an admin cannot remove their own admin role'), ...emailBreakers(), ...nameBreakers()],
          },
        ],
      },
    ],
  },

  'admin.people_.$personId.erase.tsx': {
    targets: [
      {
        name: 'an admin erasing a candidate (never typing their email)',
        cookie: cookieOf(() => c.admin),
        params: () => ({ personId: String(c.erasee.id) }),
        path: (p) => `/admin/people/${p.personId}/erase`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'confirm',
            fields: { confirm: 'someone.else@example.com' },
            breakers: [
              {
                label: 'confirm is not their email',
                field: 'confirm',
                apply: (e) => setField(e, 'confirm', `not-${textOf(e, 'confirm')}`),
              },
              b.missing('confirm'),
              b.set('confirm', `${c.erasee.email} x`),
              b.set('confirm', `${c.erasee.email}\u0000`),
              b.set('confirm', c.erasee.email.replace('@', '\uFF20'), 'confirm with a fullwidth @'),
              b.tooLong('confirm', 254),
            ],
          },
        ],
      },
    ],
  },

  'cycles.new.tsx': {
    targets: [
      {
        name: 'HR opening cycles',
        cookie: cookieOf(() => c.hr),
        path: () => '/cycles/new',
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'open',
            fields: { candidateIds: [String(c.cyc.id)], dueOn: isoDay(21) },
            ids: ['candidateIds'],
            breakers: [
              b.set('dueOn', '2000-01-01'),
              b.set('dueOn', isoDay(0)),
              b.set('dueOn', isoDay(400)),
              b.set('dueOn', '2026-02-30'),
              b.set('dueOn', '21/01/2027'),
              b.missing('dueOn'),
              b.missing('candidateIds'),
              b.set('candidateIds', ['abc']),
              b.set('candidateIds', ['-1', String(c.cyc.id)]),
              b.set('candidateIds', '999999999'),
              b.set('candidateIds', String(c.hr.id), 'candidateIds=an HR person'),
              b.set(
                'candidateIds',
                Array.from({ length: 5001 }, (_, i) => String(i + 1)),
                'candidateIds=5,001 ids',
              ),
              // (Not "refused: already has an open cycle": an id perturbed to " 7" or "+7" is read as
              // candidate 7, who may have none.)
            ],
          },
        ],
      },
    ],
  },

  'cycles.$cycleId._index.tsx': {
    targets: [
      {
        name: 'the candidate nominating and withdrawing',
        cookie: cookieOf(() => c.cyc),
        params: () => ({ cycleId: String(c.cycleId) }),
        path: (p) => `/cycles/${p.cycleId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'nominate',
            fields: {
              intent: 'nominate',
              name: 'Nora Nominee',
              email: 'nora.nominee@raters.example',
              relationship: 'peer',
            },
            breakers: [
              ...emailBreakers(),
              b.set('email', c.cyc.email, 'email=the candidate’s own'),
              b.set('email', c.proposedRaterEmail.toUpperCase(), 'email=already nominated'),
              ...nameBreakers(),
              b.set('relationship', 'boss'),
              b.set('relationship', 'PEER'),
              b.missing('relationship'),
              badIntent('Nominate'),
            ],
          },
          {
            name: 'withdraw',
            fields: { intent: 'withdraw', raterId: String(c.proposedRaterId) },
            ids: ['raterId'],
            breakers: [
              ...idBreakers('raterId'),
              b.set('raterId', String(c.otherCycleRaterId), 'raterId=a rater of another cycle'),
              b.missing('raterId'),
              badIntent('withdraw '),
            ],
          },
        ],
        extra: () =>
          BAD_INTENTS.map((intent) =>
            form('unknown intent', [
              ['intent', intent],
              ['raterId', '1'],
            ]),
          ),
      },
      {
        name: 'the mentor deciding nominations',
        cookie: cookieOf(() => c.mentor),
        params: () => ({ cycleId: String(c.cycleId) }),
        path: (p) => `/cycles/${p.cycleId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => {
          const decision = (intent: string): Shape => ({
            name: intent,
            fields: {
              intent,
              raterId: String(c.proposedRaterId),
              name: 'Pia Proposed',
              email: c.proposedRaterEmail,
              relationship: 'peer',
            },
            ids: ['raterId'],
            breakers: [
              ...emailBreakers(),
              b.set('email', c.cyc.email, 'email=the candidate’s own'),
              ...nameBreakers(),
              b.set('relationship', 'sibling'),
              ...idBreakers('raterId'),
              b.set('raterId', String(c.otherCycleRaterId), 'raterId=a rater of another cycle'),
            ],
          })
          return [
            decision('approve'),
            decision('reject'),
            {
              name: 'revoke',
              fields: { intent: 'revoke', raterId: String(c.proposedRaterId) },
              ids: ['raterId'],
              breakers: [refused('the rater was never invited'), ...idBreakers('raterId')],
            },
            {
              name: 'cancel',
              fields: { intent: 'cancel', reason: 'Opened for the wrong person' },
              breakers: [
                b.tooShort('reason', 3),
                b.tooLong('reason', 500),
                b.missing('reason'),
                b.set('reason', '  \t '),
              ],
            },
            {
              name: 'invite',
              fields: { intent: 'invite' },
              breakers: [refused('no approved raters yet (below the group minimums)')],
            },
            {
              name: 'remind',
              fields: { intent: 'remind' },
              breakers: [refused('reminders go out only while collecting')],
            },
          ]
        },
      },
      {
        name: 'the mentor on a closed cycle (every intent, close included)',
        cookie: cookieOf(() => c.mentor),
        params: () => ({ cycleId: String(c.closedCycleId) }),
        path: (p) => `/cycles/${p.cycleId}`,
        encodings: ['urlencoded', 'multipart'],
        generated: 40,
        shapes: () => {
          const closed = refused('the cycle is closed')
          const rater = { name: 'Cleo Closed', email: 'cleo.closed@raters.example', relationship: 'peer' }
          return [
            { name: 'close', fields: { intent: 'close' }, breakers: [closed] },
            { name: 'invite', fields: { intent: 'invite' }, breakers: [closed] },
            { name: 'remind', fields: { intent: 'remind' }, breakers: [closed] },
            {
              name: 'cancel',
              fields: { intent: 'cancel', reason: 'Too late to cancel' },
              breakers: [closed, b.tooShort('reason', 3)],
            },
            {
              name: 'approve',
              fields: { intent: 'approve', raterId: '1', ...rater },
              ids: ['raterId'],
              breakers: [closed, ...emailBreakers()],
            },
            {
              name: 'revoke',
              fields: { intent: 'revoke', raterId: '1' },
              ids: ['raterId'],
              breakers: [closed, ...idBreakers('raterId')],
            },
          ]
        },
      },
    ],
  },

  'cycles.$cycleId.self.tsx': {
    targets: [
      {
        name: 'the candidate on their open cycle',
        cookie: cookieOf(() => c.cyc),
        params: () => ({ cycleId: String(c.cycleId) }),
        path: (p) => `/cycles/${p.cycleId}/self`,
        encodings: ['urlencoded', 'multipart'],
        shapes: questionnaireShapes,
      },
    ],
  },

  'rate.tsx': {
    targets: [
      {
        name: 'a rater with their rater cookie',
        cookie: () => c.raterCookie,
        path: () => '/rate',
        encodings: ['urlencoded', 'multipart'],
        shapes: questionnaireShapes,
      },
    ],
  },

  'cycles.$cycleId.report.tsx': {
    targets: [
      {
        name: 'the candidate on their closed cycle’s report',
        cookie: cookieOf(() => c.rep),
        params: () => ({ cycleId: String(c.closedCycleId) }),
        path: (p) => `/cycles/${p.cycleId}/report`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'accept a suggestion',
            fields: {
              intent: 'accept',
              capabilityId: c.reportGapCapability,
              action: 'Pair with the ML lead on two model reviews',
            },
            breakers: [
              badIntent('Accept'),
              b.missing('intent'),
              b.set('capabilityId', 'no-such-capability'),
              b.set('capabilityId', ''),
              b.tooLong('capabilityId', 64),
              b.tooShort('action', 5),
              b.tooLong('action', 500),
              b.missing('action'),
            ],
          },
        ],
      },
    ],
  },

  'outbox.$messageId.tsx': {
    targets: [
      {
        // The newest message: an invitation of the collecting cycle, kept (no mail server in this sweep).
        name: 'HR re-sending a message',
        cookie: cookieOf(() => c.hr),
        params: () => ({
          messageId: String(getDb().$client.prepare('select id from outbox order by id desc limit 1').pluck().get()),
        }),
        path: (p) => `/outbox/${p.messageId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 're-send',
            fields: { intent: 'resend' },
            breakers: [
              badIntent('Resend'),
              b.missing('intent'),
              refused('no mail server is configured, so a re-send would not leave'),
            ],
          },
        ],
      },
    ],
  },

  'milestones.$milestoneId.tsx': {
    targets: [
      {
        name: 'the candidate submitting evidence (multipart)',
        cookie: cookieOf(() => c.prog),
        params: () => ({ milestoneId: String(c.openMilestoneId) }),
        path: (p) => `/milestones/${p.milestoneId}`,
        encodings: ['multipart'],
        shapes: () => [
          {
            name: 'evidence',
            // The file claims to be a PDF but is not one: a body that passes everything else is refused (415).
            fields: {
              summary: 'I ran the weekly prioritisation meeting for six weeks.',
              links: 'https://wiki.example.com/sto/notes',
              planItemId: String(c.planItemId),
              files: notAccepted('notes.pdf'),
            },
            ids: ['planItemId'],
            breakers: [
              b.tooShort('summary', 20),
              b.tooLong('summary', 5000),
              b.missing('summary'),
              b.set('links', 'ftp://example.com/file'),
              b.set('links', 'javascript:alert(1)'),
              b.set('links', 'not a link'),
              b.set(
                'links',
                Array.from({ length: 21 }, (_, i) => `https://example.com/${i}`).join('\n'),
                'links=21 links',
              ),
              b.tooLong('links', 5000),
              b.set('planItemId', '-1'),
              b.set('planItemId', 'abc'),
              b.set('planItemId', '1.5'),
              b.set('planItemId', '999999999'),
              b.set(
                'files',
                Array.from({ length: 6 }, (_, i) => pdfFile(`part-${i}.pdf`)),
                'files=six PDFs',
              ),
              b.set(
                'files',
                notAccepted('evidence.pdf', '<html><script>alert(1)</script>', 'text/html'),
                'files=HTML named .pdf',
              ),
              b.set(
                'files',
                {
                  file: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
                  name: 'x.svg',
                  type: 'image/svg+xml',
                },
                'files=SVG',
              ),
              b.set(
                'files',
                { file: new TextEncoder().encode('name,email\n'), name: 'x.csv', type: 'text/csv' },
                'files=CSV',
              ),
              b.set('files', [notAccepted('a.exe'), pdfFile('b.pdf')], 'files=an exe and a PDF'),
            ],
          },
        ],
        extra: () => [
          // Too large: refused while reading the body (413), before anything is stored.
          form(
            'a file 1 byte over the limit',
            [
              ['summary', 'I ran the weekly prioritisation meeting for six weeks.'],
              ['files', { file: oversizePdf(), name: 'big.pdf', type: 'application/pdf' }],
            ],
            'multipart',
          ),
          form(
            'two files 1 byte over the limit',
            [
              ['summary', 'x'],
              ...Array.from({ length: 2 }, (): [string, FileValue] => [
                'files',
                { file: oversizePdf(), name: 'big.pdf', type: 'application/pdf' },
              ]),
            ],
            'multipart',
          ),
          form('summary of 1 MB', [['summary', 'é'.repeat(MAX_FILE_BYTES / 20)]], 'multipart'),
          // Url-encoded: the decision path, where a candidate may not decide (403) or the body is invalid (400).
          ...['sign', 'return', 'revoke', 'nope'].map((intent) =>
            form(
              `decision ${intent} by the candidate`,
              [
                ['intent', intent],
                ['note', 'I sign my own work'],
              ],
              'urlencoded',
            ),
          ),
        ],
        after: () => expect(fs.readdirSync(c.uploadsDir), 'no evidence file was stored').toEqual([]),
      },
      {
        name: 'the mentor deciding a submitted milestone',
        cookie: cookieOf(() => c.mentor),
        params: () => ({ milestoneId: String(c.submittedMilestoneId) }),
        path: (p) => `/milestones/${p.milestoneId}`,
        encodings: ['urlencoded'],
        shapes: () => [
          {
            name: 'sign',
            fields: { intent: 'sign', note: 'Well done.' },
            breakers: [b.tooLong('note', 2000), badIntent('Sign')],
          },
          {
            name: 'return',
            fields: { intent: 'return', note: 'Add what you decided yourself.' },
            breakers: [b.tooShort('note', 5), b.tooLong('note', 2000), b.missing('note'), b.set('note', '    \n ')],
          },
          {
            name: 'revoke',
            fields: {
              intent: 'revoke',
              signoffId: String(c.signoffId),
              reason: 'Signed the wrong milestone by mistake.',
            },
            ids: ['signoffId'],
            // The sign-off belongs to another milestone: refused (404) even with a valid reason.
            breakers: [
              refused('the sign-off is of another milestone'),
              b.tooShort('reason', 10),
              b.tooLong('reason', 2000),
              ...idBreakers('signoffId'),
            ],
          },
        ],
      },
      {
        name: 'the mentor on a signed-off milestone',
        cookie: cookieOf(() => c.mentor),
        params: () => ({ milestoneId: String(c.signedMilestoneId) }),
        path: (p) => `/milestones/${p.milestoneId}`,
        encodings: ['urlencoded'],
        generated: 40,
        shapes: () => [
          { name: 'sign again', fields: { intent: 'sign', note: 'Again.' }, breakers: [refused('already signed off')] },
          {
            name: 'return',
            fields: { intent: 'return', note: 'Please redo this one.' },
            breakers: [refused('already signed off')],
          },
          {
            name: 'revoke',
            fields: {
              intent: 'revoke',
              signoffId: String(c.signoffId),
              reason: 'Signed the wrong milestone by mistake.',
            },
            ids: ['signoffId'],
            breakers: [
              b.tooShort('reason', 10),
              b.tooLong('reason', 2000),
              b.missing('reason'),
              ...idBreakers('signoffId'),
            ],
          },
        ],
      },
    ],
  },

  'people_.import.tsx': {
    targets: [
      {
        name: 'HR importing people (multipart)',
        cookie: cookieOf(() => c.hr),
        path: () => '/people/import',
        encodings: ['multipart'],
        shapes: () => {
          const good = `${CSV_HEADER}\nIvy Import,ivy.import@example.com,candidate,engineering-manager,${c.mentor.email},shadow,2026-01-05\n`
          const appendBad = (field: string, asFile: boolean): Breaker => ({
            label: `${field} with a bad row appended`,
            field,
            apply: (e) => {
              const text = `${textOf(e, field)}\n${BAD_ROW}\n`
              return setField(e, field, asFile ? csvFile(text) : text)
            },
          })
          const csvBreakers = (field: string, asFile: boolean): Breaker[] => {
            const put = (label: string, text: string) =>
              b.set(field, asFile ? csvFile(text) : text, `${field}: ${label}`)
            return [
              appendBad(field, asFile),
              put('wrong header', `Name;Email\n${BAD_ROW}`),
              put('header only', CSV_HEADER),
              put('unknown role', `${CSV_HEADER}\nRae Role,rae@example.com,superuser,,,,`),
              put(
                'unknown background',
                `${CSV_HEADER}\nBea Bg,bea@example.com,candidate,astronaut,${c.mentor.email},shadow,2026-01-05`,
              ),
              put('the same email twice', `${CSV_HEADER}\nA,dup@example.com,hr,,,,\nB,DUP@example.com,hr,,,,`),
              put('a NUL byte', `${CSV_HEADER}\nNul\u0000,nul@example.com,hr,,,,`),
              put('an unclosed quote', `${CSV_HEADER}\n"Quinn,quinn@example.com,hr,,,,`),
              put(
                'HTML and SQL in a bad row',
                `${CSV_HEADER}\n<script>alert(1)</script>,'); DROP TABLE people; --,hr,,,,`,
              ),
            ]
          }
          return [
            {
              name: 'preview',
              fields: { intent: 'preview', file: csvFile(good) },
              breakers: [
                ...csvBreakers('file', true),
                b.missing('file'),
                b.set('file', csvFile(''), 'file empty'),
                b.set('intent', 'Preview'),
              ],
            },
            {
              name: 'import',
              fields: { intent: 'import', csv: good, fileName: 'people.csv' },
              breakers: [
                ...csvBreakers('csv', false),
                b.missing('csv'),
                b.set('csv', `${good}${'x'.repeat(MAX_CSV_BYTES)}`, 'csv over 2 MB'),
                b.set('intent', 'IMPORT'),
              ],
            },
          ]
        },
        extra: () => [
          form(
            'a file over 2 MB',
            [
              ['intent', 'preview'],
              ['file', csvFile(`${CSV_HEADER}\n${'y'.repeat(MAX_CSV_BYTES + 1)}`)],
            ],
            'multipart',
          ),
          // Generated CSVs (nasty cells under the right header, mostly), each with a bad row at the end.
          ...generatedCsvs(SEED, 100, CSV_HEADER).map(({ text, eol }, i) => {
            const csv = `${text}${eol}${BAD_ROW}${eol}`
            return i % 2 === 0
              ? form(
                  `generated CSV previewed: ${JSON.stringify(csv.slice(0, 120))}`,
                  [
                    ['intent', 'preview'],
                    ['file', csvFile(csv)],
                  ],
                  'multipart',
                )
              : form(
                  `generated CSV imported: ${JSON.stringify(csv.slice(0, 120))}`,
                  [
                    ['intent', 'import'],
                    ['csv', csv],
                    ['fileName', 'people.csv'],
                  ],
                  'multipart',
                )
          }),
        ],
      },
    ],
  },

  'program.$candidateId._index.tsx': {
    targets: [
      {
        name: 'HR managing an enrolled candidate',
        cookie: cookieOf(() => c.hr),
        params: () => ({ candidateId: String(c.prog.id) }),
        path: (p) => `/program/${p.candidateId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'enroll',
            fields: {
              intent: 'enroll',
              stageId: 'shadow',
              enrolledOn: daysFromToday(-1),
              mentorId: String(c.mentor.id),
              reason: 'Prior experience.',
              podName: 'Pod',
              certifiedTiers: ['low'],
            },
            ids: ['mentorId'],
            breakers: [
              refused('the candidate is enrolled already'),
              b.set('enrolledOn', daysFromToday(3)),
              b.set('enrolledOn', '2026-02-30'),
              b.set('enrolledOn', 'yesterday'),
              b.set('mentorId', '0'),
              b.set('mentorId', 'abc'),
              b.tooLong('stageId', 64),
              b.tooLong('reason', 1000),
              b.tooLong('podName', 120),
              b.set(
                'certifiedTiers',
                Array.from({ length: 11 }, (_, i) => `t${i}`),
                'certifiedTiers=11 tiers',
              ),
              b.set('certifiedTiers', 'x'.repeat(65), 'certifiedTiers=a 65-character tier'),
            ],
          },
          {
            name: 'pause',
            fields: { intent: 'pause', reason: 'Parental leave for three months' },
            breakers: [b.tooShort('reason', 5), b.tooLong('reason', 500), b.missing('reason'), badIntent('Pause')],
          },
          { name: 'resume', fields: { intent: 'resume' }, breakers: [refused('the program is not paused')] },
          {
            name: 'withdraw',
            fields: { intent: 'withdraw', reason: 'Moved to another role in the company' },
            breakers: [b.tooShort('reason', 10), b.tooLong('reason', 1000), b.missing('reason'), badIntent('Withdraw')],
          },
          {
            name: 'add a milestone',
            fields: {
              intent: 'add-milestone',
              title: 'Run a pre-mortem',
              description: 'Facilitate a pre-mortem with the pod.',
              evidence: 'Notes of the session',
              signOff: 'mentor',
              required: 'yes',
            },
            breakers: [
              b.tooShort('title', 3),
              b.tooLong('title', 120),
              b.tooShort('description', 10),
              b.tooLong('description', 600),
              b.tooShort('evidence', 5),
              b.tooLong('evidence', 400),
              b.set('signOff', 'nobody'),
              b.set('required', 'maybe'),
              b.missing('signOff'),
              b.missing('title'),
            ],
          },
        ],
        extra: () =>
          BAD_INTENTS.map((intent) =>
            form('unknown intent', [
              ['intent', intent],
              ['reason', 'A long enough reason'],
            ]),
          ),
      },
      {
        name: 'the candidate editing their plan',
        cookie: cookieOf(() => c.prog),
        params: () => ({ candidateId: String(c.prog.id) }),
        path: (p) => `/program/${p.candidateId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'add a plan item',
            fields: {
              intent: 'add-plan',
              capabilityId: 'ml-fundamentals',
              action: 'Shadow two model reviews',
              dueOn: '',
            },
            breakers: [
              b.set('capabilityId', 'no-such-capability'),
              b.tooLong('capabilityId', 64),
              b.tooShort('action', 5),
              b.tooLong('action', 500),
              b.missing('action'),
              b.set('dueOn', '2026-13-01'),
              b.set('dueOn', 'tomorrow'),
            ],
          },
          {
            name: 'add a suggestion',
            fields: {
              intent: 'add-suggestion',
              capabilityId: c.backgroundGapCapability,
              source: 'background',
              action: 'Pair with the ML lead',
            },
            breakers: [
              b.set('source', 'friend'),
              b.set('source', ''),
              b.set('capabilityId', 'no-such-capability'),
              b.tooShort('action', 5),
              b.tooLong('action', 500),
            ],
          },
          {
            name: 'plan status',
            fields: { intent: 'plan-status', itemId: String(c.planItemId), status: 'done' },
            ids: ['itemId'],
            breakers: [
              b.set('status', 'finished'),
              b.set('status', 'DONE'),
              b.missing('status'),
              ...idBreakers('itemId'),
              b.missing('itemId'),
            ],
          },
        ],
      },
      {
        name: 'the mentor commenting on the plan',
        cookie: cookieOf(() => c.mentor),
        params: () => ({ candidateId: String(c.prog.id) }),
        path: (p) => `/program/${p.candidateId}`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'comment',
            fields: { intent: 'plan-comment', itemId: String(c.planItemId), body: 'Good plan; add a date.' },
            ids: ['itemId'],
            breakers: [
              b.tooShort('body', 2),
              b.tooLong('body', 1000),
              b.missing('body'),
              b.set('body', ' \n '),
              ...idBreakers('itemId'),
            ],
          },
        ],
      },
    ],
  },

  'program.$candidateId.gate.tsx': {
    targets: [
      {
        name: 'the mentor recommending',
        cookie: cookieOf(() => c.mentor),
        params: () => ({ candidateId: String(c.prog.id) }),
        path: (p) => `/program/${p.candidateId}/gate`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => [
          {
            name: 'recommend',
            fields: { intent: 'recommend', note: 'Ready: every milestone is done.' },
            breakers: [
              b.tooShort('note', 10),
              b.tooLong('note', 1000),
              b.missing('note'),
              b.set('note', ' '.repeat(20)),
              badIntent('Recommend'),
            ],
          },
        ],
      },
      {
        name: 'HR deciding (nothing is recommended)',
        cookie: cookieOf(() => c.hr),
        params: () => ({ candidateId: String(c.prog.id) }),
        path: (p) => `/program/${p.candidateId}/gate`,
        encodings: ['urlencoded', 'multipart'],
        shapes: () => {
          const none = refused('the mentor has not recommended an advancement')
          return [
            {
              name: 'approve',
              fields: {
                intent: 'approve',
                fingerprint: '0123456789abcdef0123456789abcdef',
                override: 'yes',
                overrideReason: 'Strong prior experience leading pods.',
                note: 'Approved.',
                delegatedDomain: 'technical-decisions',
                certifiedTiers: ['low'],
              },
              breakers: [
                none,
                b.set('fingerprint', 'ZZ'),
                b.set('fingerprint', '0123456789ABCDEF0123456789ABCDEF'),
                b.missing('fingerprint'),
                b.set('override', 'no'),
                b.tooLong('overrideReason', 2000),
                b.tooLong('note', 1000),
                b.tooLong('delegatedDomain', 64),
                b.set(
                  'certifiedTiers',
                  Array.from({ length: 11 }, () => 'low'),
                  'certifiedTiers=11 tiers',
                ),
              ],
            },
            {
              name: 'decline',
              fields: { intent: 'decline', note: 'Not yet: two milestones are open.' },
              breakers: [none, b.tooShort('note', 10), b.tooLong('note', 1000), b.missing('note')],
            },
          ]
        },
      },
    ],
  },
}

// ---- bodies of a target ----

const SEED = 20_260_701
const pdfFile = (name: string): FileValue => ({ file: pdfBytes(name), name, type: 'application/pdf' })
const oversizePdf = () => {
  const bytes = new Uint8Array(MAX_FILE_BYTES + 1)
  bytes.set(pdfBytes('big'))
  return bytes
}
function form(
  label: string,
  entries: Array<[string, string | FileValue]>,
  encoding: Encoding = 'urlencoded',
): FormBody {
  return { kind: 'form', label: `${label}: ${entries.length} entries`, entries, encoding }
}

/** Every body of a target, with where to send it (bad ids in the URL go to the same action). */
function bodiesOf(target: Target, seed: number): Array<{ body: Body; params: Record<string, string> }> {
  const params = target.params?.() ?? {}
  const shapes = target.shapes()
  const out: Array<{ body: Body; params: Record<string, string> }> = []
  const push = (body: Body, p = params) => out.push({ body, params: p })
  // Each field gets 12 of the nasty values (a window moving over fields and shapes); huge values
  // and 5,000-field bodies in the first shape only, to keep the sweep within a minute.
  shapes.forEach((shape, si) => {
    for (const body of handBodies(shape, {
      encoding: target.encodings[0]!,
      allowFiles: true,
      nastyPerField: 12,
      offset: ((seed >>> 0) % 1000) + si * 3,
      hugeFields: si === 0 ? 2 : 0,
    }))
      push(body)
  })
  for (const body of generatedBodies(shapes, { seed, count: target.generated ?? 60, encodings: target.encodings }))
    push(body)
  for (const body of target.extra?.() ?? []) push(body)
  // Bodies that are not a well-formed form.
  for (const raw of RAW_URLENCODED)
    push({
      kind: 'raw',
      label: `raw url-encoded ${JSON.stringify(raw.slice(0, 40))}${raw.length > 40 ? `…(${raw.length})` : ''}`,
      contentType: 'application/x-www-form-urlencoded',
      body: raw,
    })
  // Ids in the URL: negative, zero, huge, not numbers; with the first shape's (broken) body.
  const first =
    shapes[0] &&
    handBodies(shapes[0], { encoding: 'urlencoded', allowFiles: false, nastyPerField: 0, hugeFields: 0 })[0]
  for (const key of Object.keys(params)) {
    for (const id of [...BAD_IDS.filter((x) => x !== ''), '999999']) {
      if (first) push({ ...first, label: `URL ${key}=${JSON.stringify(id)}; ${first.label}` }, { ...params, [key]: id })
    }
  }
  return out
}

/** Bodies that are no form at all: wrong content types and broken multipart. */
function protocolBodies(): Body[] {
  return [
    ...WRONG_TYPES.map((w): Body => ({ kind: 'raw', label: w.label, contentType: w.contentType, body: w.body })),
    ...rawMultipart().map((m): Body => ({ kind: 'raw', label: m.label, contentType: m.contentType, body: m.body })),
  ]
}

/**
 * Found by this sweep and fixed: an action that read `request.formData()` answered 500 when the body
 * was not a form (JSON, text, XML, no Content-Type, a malformed multipart body). Actions now read
 * forms through readForm (app/utils/forms.server.ts), which answers 400.
 */

// ---- the sweep ----

type Tally = { target: string; bodies: number; byStatus: Record<number, number>; fiveHundreds: number }
const tallies: Tally[] = []
let clientAddress = 0
const nextAddress = () => {
  clientAddress++
  return `198.51.${(clientAddress >> 8) & 255}.${clientAddress & 255}`
}
const loginAttemptCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(loginAttempts)
    .get()!.n
let loginAttemptsBefore = 0

/**
 * What the checksum covers: every table in sqlite_master, all columns, in rowid order, except
 * - sessions.last_seen_at: refreshed (at most once a minute) whenever a session is used — a read,
 *   whatever the body; the rest of each session row (and which sessions exist) is covered;
 * - login_attempts, for the login target only: recorded by design for the rate limits, and checked
 *   there instead (it grows by exactly the attempts that reached the password check).
 * Kept on purpose: rate_limit_hits and rater_sessions (written by the personal-link exchange, a
 * loader, and by a cancel or revocation that succeeds — never by a refused body); sqlite_sequence
 * (a rolled-back insert leaves it as it was, so it shows a write that committed; rows of skipped
 * tables are left out); data_generation (raised by triggers on every write to the tables the
 * pipeline reads: a second witness); audit_log and the migrations table. Evidence files on disk
 * are checked separately (the uploads folder stays empty).
 */
const SKIP_COLUMNS = ['sessions.last_seen_at']

function changedTables(before: Record<string, string>, after: Record<string, string>) {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort()
}

async function sweep(
  file: string,
  target: Target,
  items: Array<{ body: Body; params: Record<string, string> }>,
  label: string,
) {
  const mod = modules.get(file)
  if (!mod) throw new Error(`${file} has no action`)
  const skipTables = target.skipTables ?? []
  if (skipTables.includes('login_attempts')) loginAttemptsBefore = loginAttemptCount()
  const before = tableChecksums({ skipTables, skipColumns: SKIP_COLUMNS })
  const tally: Tally = { target: `${file} — ${target.name}${label}`, bodies: 0, byStatus: {}, fiveHundreds: 0 }
  tallies.push(tally)
  const failures: string[] = []
  const outcomes: Outcome[] = []
  for (const { body, params } of items) {
    const headers = new Headers({ 'X-STO-Remote-Address': nextAddress() })
    const cookie = target.cookie?.()
    if (cookie) headers.set('Cookie', cookie)
    const request = toRequest(`http://localhost${target.path(params)}`, body, headers)
    const o = await runAction(mod.action, request, params)
    outcomes.push(o)
    tally.bodies++
    tally.byStatus[o.status] = (tally.byStatus[o.status] ?? 0) + 1
    if (o.status >= 500) {
      tally.fiveHundreds++
      const why =
        o.error instanceof Error ? `${o.error.name}: ${o.error.message}` : JSON.stringify(o.data ?? null).slice(0, 200)
      failures.push(`${o.status} for ${body.label} — ${why}`)
    } else if (o.status < 400 && !target.harmless?.(o, body)) {
      failures.push(`${o.status}${o.location ? ` → ${o.location}` : ''} (accepted) for ${body.label}`)
    }
  }
  const after = tableChecksums({ skipTables, skipColumns: SKIP_COLUMNS })
  expect(failures.slice(0, 25), `${failures.length} bodies answered 5xx or were accepted`).toEqual([])
  expect(changedTables(before, after), 'tables changed by the sweep').toEqual([])
  return { outcomes, bodies: items.map((i) => i.body) }
}

const actionFiles = [...modules.keys()]
const ordered = [...actionFiles].sort(
  (x, y) => Number(Boolean(table[y]?.emptyDatabase)) - Number(Boolean(table[x]?.emptyDatabase)),
)

/** A seed per target from its name, so adding a route does not change the bodies of the others. */
const seedOf = (name: string) => [...name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) | 0, SEED)

function registerTarget(file: string, target: Target) {
  it(`${file} — ${target.name}`, async () => {
    const items = bodiesOf(target, seedOf(`${file} ${target.name}`))
    const { outcomes, bodies } = await sweep(file, target, items, '')
    target.after?.(outcomes, bodies)
    // The sweep reached validation: some answers are 400-range form errors, not all 401/403/404.
    if (!target.harmless)
      expect(
        outcomes.filter((o) => o.status === 400 || o.status === 409 || o.status === 413 || o.status === 415).length,
      ).toBeGreaterThan(0)
  })
}

/** Bodies that are no form, sent by the action's first target: every one must be a 4xx. */
function registerNoForm(file: string) {
  const target = table[file]?.targets[0]
  if (!target) return
  const bodies = protocolBodies()
  it(`${file} — bodies that are no form (${bodies.length})`, async () => {
    const params = target.params?.() ?? {}
    await sweep(
      file,
      target,
      bodies.map((body) => ({ body, params })),
      ' (no form)',
    )
  })
}

describe('bad-input sweep of every action', () => {
  it('has a fixture entry for every route module with an action, and none for others', () => {
    expect(actionFiles.length).toBeGreaterThan(0)
    const missing = actionFiles.filter((f) => !table[f])
    expect(
      missing,
      `route modules exporting an action without an entry in the fixture table of tests/integration/bad-input.test.ts: ${missing.join(', ')}`,
    ).toEqual([])
    const stale = Object.keys(table).filter((f) => !modules.has(f))
    expect(stale, `fixture entries without a route module exporting an action: ${stale.join(', ')}`).toEqual([])
  })

  const emptyFirst = ordered.filter((f) => table[f]?.emptyDatabase)
  describe('on the empty database', () => {
    for (const file of emptyFirst) for (const t of table[file]!.targets) registerTarget(file, t)
    for (const file of emptyFirst) registerNoForm(file)
  })

  describe('with people, programs and cycles', () => {
    beforeAll(async () => {
      c.uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-bad-input-uploads-'))
      process.env.UPLOADS_DIR = c.uploadsDir
      resetEnvCache()

      c.admin = await loggedIn({ roles: ['admin'], name: 'Ada Admin' })
      c.hr = await loggedIn({ roles: ['hr'], name: 'Hal HR' })
      c.mentor = await loggedIn({ roles: ['mentor'], name: 'Mona Mentor' })
      c.account = await loggedIn({ roles: ['candidate'], name: 'Cora Account' })
      c.editee = await makePerson({ roles: ['candidate'], name: 'Eddie Editee', candidate: { mentorId: c.mentor.id } })
      c.erasee = await makePerson({ roles: ['candidate'], name: 'Erin Erasee' })

      // The program: enrolled at Shadow; milestone 1 submitted, 2 signed off, 3 open; a plan item.
      c.prog = await loggedIn({ roles: ['candidate'], name: 'Pat Program', candidate: { mentorId: c.mentor.id } })
      enrollVia(c.hr.id, { candidateId: c.prog.id, mentorId: c.mentor.id, enrolledOn: daysFromToday(-30) })
      const [m1, m2, m3] = milestonesOf(c.prog.id)
      if (!m1 || !m2 || !m3) throw new Error('expected Shadow milestones')
      const evidence = {
        summary: 'What I did, and what it shows about my progress.',
        links: [],
        files: [],
        planItemId: null,
      }
      transaction((tx) => {
        submitEvidence(tx, c.prog.id, m1.id, evidence)
        submitEvidence(tx, c.prog.id, m2.id, evidence)
        decideMilestone(tx, { id: c.mentor.id, isHr: false }, m2.id, 'sign', null)
      })
      c.submittedMilestoneId = m1.id
      c.signedMilestoneId = m2.id
      c.openMilestoneId = m3.id
      c.signoffId = getDb().select().from(signoffs).where(eq(signoffs.milestoneId, m2.id)).get()!.id
      transaction((tx) =>
        addPlanItem(tx, c.prog.id, {
          capabilityId: 'ml-fundamentals',
          action: 'Shadow two model reviews',
          dueOn: null,
          source: 'own',
        }),
      )
      c.planItemId = getDb().select().from(planItems).where(eq(planItems.candidateId, c.prog.id)).get()!.id
      c.backgroundGapCapability =
        findBackground('senior-data-scientist')?.typicalGap.capabilities[0] ?? 'talent-development'

      // A cycle in nominating, with two proposed raters.
      c.cyc = await loggedIn({ roles: ['candidate'], name: 'Cy Cycle', candidate: { mentorId: c.mentor.id } })
      c.cycleId = await openCycle(c.hr.cookie, c.cyc.id)
      const [peer, manager] = [...specs('peer', 1), ...specs('manager', 1)]
      c.proposedRaterId = await nominate(c.cyc.cookie, c.cycleId, peer!)
      c.proposedRaterEmail = peer!.email
      await nominate(c.cyc.cookie, c.cycleId, manager!)

      // A collecting cycle: a rater's cookie, and a rater id of another cycle.
      const rateCand = await loggedIn({ roles: ['candidate'], name: 'Rae Rated', candidate: { mentorId: c.mentor.id } })
      const collecting = await collectingCycle({
        approverCookie: c.mentor.cookie,
        candidateCookie: rateCand.cookie,
        candidateId: rateCand.id,
        openerCookie: c.hr.cookie,
        specs: minimumSet(),
      })
      c.raterCookie = await raterBrowser(collecting.raters[0]!.token)
      c.otherCycleRaterId = collecting.raters[1]!.id

      // A closed cycle with a report: every rater answers, the mentor closes it.
      c.rep = await loggedIn({ roles: ['candidate'], name: 'Rex Report', candidate: { mentorId: c.mentor.id } })
      const reported = await collectingCycle({
        approverCookie: c.mentor.cookie,
        candidateCookie: c.rep.cookie,
        candidateId: c.rep.id,
        openerCookie: c.hr.cookie,
        specs: minimumSet(),
      })
      for (const [i, r] of reported.raters.entries()) {
        const res = await postRate(
          await raterBrowser(r.token),
          answerForm((id) => String(1 + ((id.length + i) % 3)), { intent: 'submit' }),
        )
        if (res.status !== 302) throw new Error(`rater could not submit: ${res.status}`)
      }
      const closed = await postCycle(c.mentor.cookie, reported.cycleId, { intent: 'close' })
      if (closed.status !== 302) throw new Error(`closing failed: ${closed.status}`)
      c.closedCycleId = reported.cycleId
      const report = JSON.parse(cycleRow(reported.cycleId).reportJson ?? 'null') as { largestGaps?: string[] } | null
      c.reportGapCapability = report?.largestGaps?.[0] ?? getFramework().capabilities[0]!.id
    })

    for (const file of ordered.filter((f) => !table[f]?.emptyDatabase))
      for (const t of table[file]?.targets ?? []) registerTarget(file, t)

    // Bodies that are not a form at all.
    describe('bodies that are no form: wrong content types and broken multipart', () => {
      for (const file of ordered.filter((f) => !table[f]?.emptyDatabase)) registerNoForm(file)
    })
  })

  afterAll(() => {
    const total = tallies.reduce((n, t) => n + t.bodies, 0)
    const fives = tallies.reduce((n, t) => n + t.fiveHundreds, 0)
    const lines = tallies.map(
      (t) =>
        `${String(t.bodies).padStart(6)}  5xx ${String(t.fiveHundreds).padStart(3)}  ${t.target}  ${JSON.stringify(t.byStatus)}`,
    )
    console.log(`bad-input sweep: ${total} bodies, ${fives} answered 5xx\n${lines.join('\n')}`)
  })

  it('tried at least 1,000 bodies in all', () => {
    // Runs after the sweeps above (tests run in order); counted over every target.
    expect(tallies.reduce((n, t) => n + t.bodies, 0)).toBeGreaterThanOrEqual(1000)
  })
})

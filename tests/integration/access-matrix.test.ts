/**
 * The access matrix: every loader and action of every route module in app/routes (found by reading
 * the directory, so a new route without an entry in access-matrix.ts fails here), requested as each
 * persona, answers exactly as the table beside this test says. Resources belong to one candidate
 * ("candidate"); "mentor" is their mentor; "otherCandidate" and "otherMentor" are strangers to them.
 *
 * Loader payloads seen by people (not the rater) never carry the identities of raters outside the
 * nomination page, never a rater's unsubmitted draft, and never stored answer rows.
 *
 * Run with ACCESS_MATRIX_PRINT=1 to print the current answers in the table's format.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '~/utils/db.server'
import { answerForm, collectingCycle, postCycle, postRate, raterBrowser, type RaterSpec } from '../helpers/cycles'
import { call, loggedIn, request } from '../helpers/db'
import { enrollVia, milestonesOf, pdfBytes, postEvidence, useTempUploads } from '../helpers/program'
import { expected, PERSONAS, type Fixture, type Persona } from './access-matrix'

const routesDir = path.resolve('app/routes')
const routeFiles = fs
  .readdirSync(routesDir)
  .filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'))
  .map((f) => f.replace(/\.tsx?$/, ''))
  .sort()

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let fixture: Fixture
const cookies = {} as Record<Persona, string | undefined>

/** Raters of the candidate's cycles: their names and emails must not reach people's pages. */
const raterSpecs = (tag: string): RaterSpec[] => [
  { name: `Mirabel Managerly ${tag}`, email: `mirabel.${tag}@raters.example`, relationship: 'manager' },
  { name: `Percival Peerwise ${tag}`, email: `percival.${tag}@raters.example`, relationship: 'peer' },
  { name: `Quintessa Peerwise ${tag}`, email: `quintessa.${tag}@raters.example`, relationship: 'peer' },
  { name: `Rosalind Peerwise ${tag}`, email: `rosalind.${tag}@raters.example`, relationship: 'peer' },
]
const DRAFT_COMMENT = 'unsubmitted-draft-zephyrine'
const secretsOf = (specs: RaterSpec[]) =>
  specs.filter((s) => s.relationship !== 'manager').flatMap((s) => [s.name, s.email])
let raterSecrets: string[] = []

beforeAll(async () => {
  useTempUploads()
  const hr = await loggedIn({ roles: ['hr'], name: 'Hester Matrix' })
  const admin = await loggedIn({ roles: ['admin'], name: 'Abel Matrix' })
  const mentor = await loggedIn({ roles: ['mentor'], name: 'Morwenna Matrix' })
  const otherMentor = await loggedIn({ roles: ['mentor'], name: 'Osgood Matrix' })
  const candidate = await loggedIn({
    roles: ['candidate'],
    name: 'Celestine Matrix',
    candidate: { mentorId: mentor.id },
  })
  const otherCandidate = await loggedIn({
    roles: ['candidate'],
    name: 'Desmond Matrix',
    candidate: { mentorId: otherMentor.id },
  })

  // A closed cycle with a report: every rater answered.
  const closedSpecs = raterSpecs('closed')
  const closed = await collectingCycle({
    approverCookie: mentor.cookie,
    openerCookie: hr.cookie,
    candidateCookie: candidate.cookie,
    candidateId: candidate.id,
    specs: closedSpecs,
  })
  const closedCycleId = closed.cycleId
  for (const r of closed.raters)
    await postRate(
      await raterBrowser(r.token),
      answerForm(() => '4', { intent: 'submit' }),
    )
  expect((await postCycle(mentor.cookie, closedCycleId, { intent: 'close' })).status).toBe(302)

  // A cycle collecting answers: one rater has a draft; their browser is the "rater" persona.
  const openSpecs = raterSpecs('open')
  const open = await collectingCycle({
    approverCookie: mentor.cookie,
    openerCookie: hr.cookie,
    candidateCookie: candidate.cookie,
    candidateId: candidate.id,
    specs: openSpecs,
  })
  const openCycleId = open.cycleId
  const rater = await raterBrowser(open.raters[1]!.token)
  await postRate(
    rater,
    answerForm(() => '3', { intent: 'save', 'c:technical-depth': DRAFT_COMMENT }),
  )
  raterSecrets = [...secretsOf(closedSpecs), ...secretsOf(openSpecs), DRAFT_COMMENT]

  // The program: enrolled, a milestone with evidence and a file.
  enrollVia(hr.id, { candidateId: candidate.id, mentorId: mentor.id })
  const milestone = milestonesOf(candidate.id)[0]!
  const evidence = await postEvidence(candidate.cookie, milestone.id, {
    summary: 'A summary of the evidence for this milestone.',
    files: [{ bytes: pdfBytes(), name: 'evidence.pdf' }],
  })
  expect(evidence.status).toBe(302)
  const fileId = getDb()
    .$client.prepare('select id from evidence_files order by id desc limit 1')
    .pluck()
    .get() as number
  const messageId = getDb().$client.prepare('select id from outbox order by id desc limit 1').pluck().get() as number

  fixture = {
    candidateId: candidate.id,
    openCycleId,
    closedCycleId,
    milestoneId: milestone.id,
    fileId,
    messageId,
    token: open.raters[2]!.token,
  }
  const viewers: Record<Exclude<Persona, 'anonymous' | 'rater'>, Viewer> = {
    candidate,
    otherCandidate,
    mentor,
    otherMentor,
    hr,
    admin,
  }
  cookies.anonymous = undefined
  cookies.rater = rater
  for (const [persona, viewer] of Object.entries(viewers)) cookies[persona as Persona] = viewer.cookie
})

let address = 0
/** What a persona gets: "L" (sent to log in), "R" (another redirect) or the status code. */
async function answerOf(routeFile: string, kind: 'loader' | 'action', persona: Persona) {
  const route = expected[routeFile]!
  const mod = (await import(path.join(routesDir, routeFile))) as Record<string, (args: unknown) => unknown>
  address++
  const headers = {
    'X-STO-Remote-Address': `10.250.${(address >> 8) & 255}.${address & 255}`,
    Origin: 'http://localhost',
  }
  const req = request(route.path(fixture), {
    cookie: cookies[persona],
    headers,
    ...(kind === 'action' ? { method: 'POST', form: {} } : {}),
  })
  let res: Awaited<ReturnType<typeof call>>
  try {
    res = await call(() =>
      mod[kind]!({ request: req, params: route.params?.(fixture) ?? {}, context: { cspNonce: 'test' } }),
    )
  } catch (error) {
    return { code: `500 ${(error as Error).message}`, data: null }
  }
  const location = res.headers.get('Location') ?? ''
  const code = res.status >= 300 && res.status < 400 ? (location.startsWith('/login') ? 'L' : 'R') : String(res.status)
  return { code, data: res.data }
}

const print = process.env.ACCESS_MATRIX_PRINT === '1'

describe('the access matrix', () => {
  it('has an entry for every route module, and none for a module that is gone', () => {
    expect(
      routeFiles.filter((f) => !(f in expected)),
      'routes without an entry in access-matrix.ts',
    ).toEqual([])
    expect(
      Object.keys(expected).filter((f) => !routeFiles.includes(f)),
      'entries without a route',
    ).toEqual([])
  })

  it('every loader and action answers each persona as the table says', async () => {
    const printed: string[] = []
    const mismatches: string[] = []
    const leaks: string[] = []
    // Logging out ends the persona's session: do it last.
    const order = [...routeFiles].sort((a, b) => Number(a === 'logout') - Number(b === 'logout') || a.localeCompare(b))
    for (const file of order) {
      const mod = (await import(path.join(routesDir, file))) as Record<string, unknown>
      const lines: string[] = []
      for (const kind of ['loader', 'action'] as const) {
        const want = expected[file]?.[kind]
        if (typeof mod[kind] !== 'function') {
          if (want !== undefined) mismatches.push(`${file} ${kind}: the table expects one, the module has none`)
          continue
        }
        const got: string[] = []
        for (const persona of PERSONAS) {
          const { code, data } = await answerOf(file, kind, persona)
          got.push(code)
          if (kind === 'loader' && code === '200' && persona !== 'rater' && data !== null) {
            const text = JSON.stringify(data)
            // Who was asked (never what they said) is shown to those who manage nominations and mail:
            // the nomination list, and the outbox of invitations kept when no SMTP server is set.
            const allowedNames = ['cycles.$cycleId._index', 'outbox._index', 'outbox.$messageId'].includes(file)
            for (const secret of raterSecrets) {
              if (secret === DRAFT_COMMENT || !allowedNames)
                if (text.includes(secret)) leaks.push(`${file} as ${persona}: contains "${secret}"`)
            }
            if (/"answersJson"|"answers_json"|"commentsJson"/.test(text))
              leaks.push(`${file} as ${persona}: carries stored answer rows`)
          }
        }
        lines.push(`    ${kind}: '${got.join(' ')}',`)
        if (want === undefined) mismatches.push(`${file} ${kind}: no expectation in the table (got '${got.join(' ')}')`)
        else if (want !== got.join(' ')) mismatches.push(`${file} ${kind}: expected '${want}', got '${got.join(' ')}'`)
      }
      printed.push(`  '${file}': {\n    ...\n${lines.join('\n')}\n  },`)
    }
    if (print) console.log(printed.join('\n'))
    expect(leaks).toEqual([])
    expect(mismatches).toEqual([])
  })
})

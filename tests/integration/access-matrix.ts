/**
 * The expected access matrix (tests/integration/access-matrix.test.ts). Each row lists the answer for
 * the personas in PERSONAS order:
 *
 *   anonymous · rater · candidate · otherCandidate · mentor · otherMentor · hr · admin
 *
 * "L" = redirected to log in, "R" = another redirect (e.g. a finished action, or a page that moves
 * on), otherwise the HTTP status. Actions are POSTed with an empty form: a permitted persona gets a
 * validation answer (400) and nothing changes; the others are refused before anything is read.
 * Resources belong to "candidate", whose mentor is "mentor"; "other…" are strangers to them.
 */
export const PERSONAS = [
  'anonymous',
  'rater',
  'candidate',
  'otherCandidate',
  'mentor',
  'otherMentor',
  'hr',
  'admin',
] as const
export type Persona = (typeof PERSONAS)[number]

export type Fixture = {
  candidateId: number
  openCycleId: number
  closedCycleId: number
  milestoneId: number
  fileId: number
  messageId: number
  token: string
}

type Entry = {
  path: (f: Fixture) => string
  params?: (f: Fixture) => Record<string, string>
  loader?: string
  action?: string
}

export const expected: Record<string, Entry> = {
  _index: {
    path: () => '/',
    loader: 'L L 200 200 200 200 200 200',
  },
  account: {
    path: () => '/account',
    loader: 'L L 200 200 200 200 200 200',
    action: 'L L 400 400 400 400 400 400',
  },
  'account_.feedback-given': {
    path: () => '/account/feedback-given',
    loader: 'L L 200 200 200 200 200 200',
    action: 'L L 400 400 400 400 400 400',
  },
  'admin.audit': {
    path: () => '/admin/audit',
    loader: 'L L 403 403 403 403 403 200',
  },
  'admin.people.$personId': {
    path: (f) => `/admin/people/${f.candidateId}`,
    params: (f) => ({ personId: String(f.candidateId) }),
    loader: 'L L 403 403 403 403 403 200',
    action: 'L L 403 403 403 403 403 400',
  },
  'admin.people._index': {
    path: () => '/admin/people',
    loader: 'L L 403 403 403 403 403 200',
  },
  'admin.people.new': {
    path: () => '/admin/people/new',
    loader: 'L L 403 403 403 403 403 200',
    action: 'L L 403 403 403 403 403 400',
  },
  'admin.people_.$personId.erase': {
    path: (f) => `/admin/people/${f.candidateId}/erase`,
    params: (f) => ({ personId: String(f.candidateId) }),
    loader: 'L L 403 403 403 403 403 200',
    action: 'L L 403 403 403 403 403 400',
  },
  'admin.people_.$personId.export': {
    path: (f) => `/admin/people/${f.candidateId}/export`,
    params: (f) => ({ personId: String(f.candidateId) }),
    loader: 'L L 403 403 403 403 200 200',
  },
  'candidates.$personId': {
    path: (f) => `/candidates/${f.candidateId}`,
    params: (f) => ({ personId: String(f.candidateId) }),
    loader: 'L L 200 403 200 403 200 200',
  },
  'cycles.$cycleId._index': {
    path: (f) => `/cycles/${f.openCycleId}`,
    params: (f) => ({ cycleId: String(f.openCycleId) }),
    loader: 'L L 200 403 200 403 200 403',
    action: 'L L 400 403 400 403 400 403',
  },
  'cycles.$cycleId.report': {
    path: (f) => `/cycles/${f.closedCycleId}/report`,
    params: (f) => ({ cycleId: String(f.closedCycleId) }),
    loader: 'L L 200 403 200 403 200 403',
    action: 'L L 400 403 403 403 403 403',
  },
  'cycles.$cycleId.self': {
    path: (f) => `/cycles/${f.openCycleId}/self`,
    params: (f) => ({ cycleId: String(f.openCycleId) }),
    loader: 'L L 200 403 403 403 403 403',
    action: 'L L 400 403 403 403 403 403',
  },
  'cycles._index': {
    path: () => '/cycles',
    loader: 'L L 200 200 200 200 200 403',
  },
  'cycles.new': {
    path: () => '/cycles/new',
    loader: 'L L 403 403 200 200 200 403',
    action: 'L L 403 403 400 400 400 403',
  },
  'files.$fileId': {
    path: (f) => `/files/${f.fileId}`,
    params: (f) => ({ fileId: String(f.fileId) }),
    loader: 'L L 200 403 200 403 200 403',
  },
  'framework.$domainId': {
    path: () => '/framework/technical-depth',
    params: () => ({ domainId: 'technical-depth' }),
    loader: 'L L 200 200 200 200 200 200',
  },
  'framework._index': {
    path: () => '/framework',
    loader: 'L L 200 200 200 200 200 200',
  },
  'framework.program': {
    path: () => '/framework/program',
    loader: 'L L 200 200 200 200 200 200',
  },
  healthz: {
    path: () => '/healthz',
    loader: '200 200 200 200 200 200 200 200',
  },
  login: {
    path: () => '/login',
    loader: '200 200 R R R R R R',
    action: '400 400 400 400 400 400 400 400',
  },
  logout: {
    path: () => '/logout',
    loader: 'R R R R R R R R',
    action: 'L L L L L L L L',
  },
  me: {
    path: () => '/me',
    loader: 'L L R R 403 403 403 403',
  },
  mentees: {
    path: () => '/mentees',
    loader: 'L L 403 403 200 200 403 403',
  },
  'milestones.$milestoneId': {
    path: (f) => `/milestones/${f.milestoneId}`,
    params: (f) => ({ milestoneId: String(f.milestoneId) }),
    loader: 'L L 200 403 200 403 200 403',
    action: 'L L 400 403 400 403 400 403',
  },
  'outbox.$messageId': {
    path: (f) => `/outbox/${f.messageId}`,
    params: (f) => ({ messageId: String(f.messageId) }),
    loader: 'L L 403 403 403 403 200 200',
    action: 'L L 403 403 403 403 400 400',
  },
  'outbox._index': {
    path: () => '/outbox',
    loader: 'L L 403 403 403 403 200 200',
  },
  people: {
    path: () => '/people',
    loader: 'L L 403 403 403 403 200 200',
  },
  'people_.import': {
    path: () => '/people/import',
    loader: 'L L 403 403 403 403 200 200',
    action: 'L L 403 403 403 403 400 400',
  },
  'pipeline._index': {
    path: () => '/pipeline',
    loader: 'L L 403 403 403 403 200 200',
  },
  'pipeline.gaps': {
    path: () => '/pipeline/gaps',
    loader: 'L L 403 403 403 403 200 200',
  },
  'pipeline.gaps[.]csv': {
    path: () => '/pipeline/gaps.csv',
    loader: 'L L 403 403 403 403 200 200',
  },
  'pipeline[.]csv': {
    path: () => '/pipeline.csv',
    loader: 'L L 403 403 403 403 200 200',
  },
  privacy: {
    path: () => '/privacy',
  },
  'program.$candidateId._index': {
    path: (f) => `/program/${f.candidateId}`,
    params: (f) => ({ candidateId: String(f.candidateId) }),
    loader: 'L L 200 403 200 403 200 403',
    action: 'L L 400 403 400 403 400 403',
  },
  'program.$candidateId.gate': {
    path: (f) => `/program/${f.candidateId}/gate`,
    params: (f) => ({ candidateId: String(f.candidateId) }),
    loader: 'L L 200 403 200 403 200 403',
    action: 'L L 400 403 400 403 400 403',
  },
  'program._index': {
    path: () => '/program',
    loader: 'L L R R 200 200 200 403',
  },
  queue: {
    path: () => '/queue',
    loader: 'L L 403 403 200 200 200 403',
  },
  'r.$token': {
    path: (f) => `/r/${f.token}`,
    params: (f) => ({ token: f.token }),
    loader: 'R R R R R R R R',
  },
  rate: {
    path: () => '/rate',
    loader: '401 200 401 401 401 401 401 401',
    action: '401 400 401 401 401 401 401 401',
  },
  setup: {
    path: () => '/setup',
    loader: '404 404 404 404 404 404 404 404',
    action: '404 404 404 404 404 404 404 404',
  },
}

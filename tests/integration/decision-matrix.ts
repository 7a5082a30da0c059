/**
 * The expected decision matrix (tests/integration/decision-matrix.test.ts): for every decision
 * action, the answer each actor gets in each candidate state, through the real route actions.
 *
 * Actors, always relative to the one candidate the decision is about:
 *   candidate      the candidate themselves (candidate role only)
 *   mentor         their mentor (mentor role only)
 *   recommender    a person holding mentor + HR who mentored the candidate and recommended them
 *                  (where the case has a recommendation), after which the candidate's mentor was
 *                  changed to `mentor` through the admin person form
 *   otherMentor    a mentor who does not mentor this candidate
 *   otherHr        an HR person unrelated to the candidate
 *   admin          an admin (no program rights)
 *   hrCandidate    the candidate, who also holds HR, acting on themselves
 *   hrMentor       a person holding HR + mentor who is this candidate's mentor (and recommended)
 *   deactivatedHr  an HR person whose account was deactivated (their session ended with it)
 *
 * States, in the order of each row: none (never enrolled) · active · paused · withdrawn · certified.
 *
 * Codes: "ok" = allowed (a redirect, the intended row change, and an audit entry by the actor);
 * "L" = sent to log in; a number = refused with that HTTP status; "-" = not applicable (nothing to
 * act on: no milestone exists before enrolment). Every refusal must leave the program and people
 * tables and the audit log exactly as they were.
 *
 * Run with DECISION_MATRIX_PRINT=1 to print the answers the app gives now, in this format.
 */
export const ACTORS = [
  'candidate',
  'mentor',
  'recommender',
  'otherMentor',
  'otherHr',
  'admin',
  'hrCandidate',
  'hrMentor',
  'deactivatedHr',
] as const
export type Actor = (typeof ACTORS)[number]
export const STATES = ['none', 'active', 'paused', 'withdrawn', 'certified'] as const
export type State = (typeof STATES)[number]

export const ACTIONS = [
  'enroll',
  'enroll-later',
  'confirm-enrolment',
  'cancel-enrolment',
  'enroll-final',
  'pause',
  'resume',
  'withdraw',
  'add-milestone',
  'sign-mentor-step',
  'sign-hr-step',
  'return',
  'revoke',
  'recommend',
  'approve',
  'approve-override',
  'decline',
] as const
export type Action = (typeof ACTIONS)[number]

/**
 * Every intent of the three decision routes' action schemas, and the matrix actions that exercise
 * it — or why it is not a program decision. A new intent without an entry here fails the test.
 */
export const INTENTS: Record<string, Record<string, Action[] | { notADecision: string }>> = {
  'program.$candidateId._index': {
    enroll: ['enroll', 'enroll-later', 'enroll-final'],
    'confirm-enrolment': ['confirm-enrolment'],
    'cancel-enrolment': ['cancel-enrolment'],
    pause: ['pause'],
    resume: ['resume'],
    withdraw: ['withdraw'],
    'add-milestone': ['add-milestone'],
    'add-plan': { notADecision: 'the candidate edits their own development plan' },
    'add-suggestion': { notADecision: 'the candidate adds a suggestion to their own plan' },
    'plan-status': { notADecision: 'the candidate marks their own plan item' },
    'plan-comment': { notADecision: 'a comment on a plan item decides nothing' },
  },
  'program.$candidateId.gate': {
    recommend: ['recommend'],
    approve: ['approve', 'approve-override'],
    decline: ['decline'],
  },
  'milestones.$milestoneId': {
    sign: ['sign-mentor-step', 'sign-hr-step'],
    return: ['return'],
    revoke: ['revoke'],
  },
}

type Row = Record<Actor, string>

/*
 * What issue 12 requires, row by row:
 *   - nobody decides about their own case: the candidate, and the candidate who also holds HR, are
 *     refused everything (403);
 *   - enrolment (HR only) never at the final stage, never of someone already enrolled (409); a
 *     start beyond the first stage is only a proposal, confirmed by a second HR person who is not
 *     the proposer (the fixture HR person), not the mentor it names (hrMentor) and not the
 *     candidate; where somebody is enrolled there is no proposal to act on (404);
 *   - the mentor step only by the current mentor; the HR step never by the candidate's mentor;
 *     an ended enrollment's milestones are no longer signed off or returned (409);
 *   - recommend only by the current mentor, while active; approve, override and decline never by
 *     the recorded recommender, the current mentor or the candidate, and only while active; a mentor
 *     change voids the pending recommendation, so the former recommender finds none to decide (409);
 *   - admins hold no program rights (403); a deactivated account is sent to log in ("L").
 */
//                                none active paused withdrawn certified
export const expected: Record<Action, Row> = {
  enroll: {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: 'ok 409 409 ok ok',
    otherMentor: '403 403 403 403 403',
    otherHr: 'ok 409 409 ok ok',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: 'ok 409 409 ok ok',
    deactivatedHr: 'L L L L L',
  },
  'enroll-later': {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: 'ok 409 409 ok ok',
    otherMentor: '403 403 403 403 403',
    otherHr: 'ok 409 409 ok ok',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: 'ok 409 409 ok ok',
    deactivatedHr: 'L L L L L',
  },
  'confirm-enrolment': {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: 'ok 404 404 ok ok',
    otherMentor: '403 403 403 403 403',
    otherHr: 'ok 404 404 ok ok',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '403 404 404 403 403',
    deactivatedHr: 'L L L L L',
  },
  'cancel-enrolment': {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: 'ok 404 404 ok ok',
    otherMentor: '403 403 403 403 403',
    otherHr: 'ok 404 404 ok ok',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: 'ok 404 404 ok ok',
    deactivatedHr: 'L L L L L',
  },
  'enroll-final': {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '400 409 409 400 400',
    otherMentor: '403 403 403 403 403',
    otherHr: '400 409 409 400 400',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '400 409 409 400 400',
    deactivatedHr: 'L L L L L',
  },
  pause: {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '409 ok 409 409 409',
    otherMentor: '403 403 403 403 403',
    otherHr: '409 ok 409 409 409',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '409 ok 409 409 409',
    deactivatedHr: 'L L L L L',
  },
  resume: {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '409 409 ok 409 409',
    otherMentor: '403 403 403 403 403',
    otherHr: '409 409 ok 409 409',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '409 409 ok 409 409',
    deactivatedHr: 'L L L L L',
  },
  withdraw: {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '404 ok ok 404 404',
    otherMentor: '403 403 403 403 403',
    otherHr: '404 ok ok 404 404',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '404 ok ok 404 404',
    deactivatedHr: 'L L L L L',
  },
  'add-milestone': {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '404 ok ok 404 404',
    otherMentor: '403 403 403 403 403',
    otherHr: '404 ok ok 404 404',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '404 ok ok 404 404',
    deactivatedHr: 'L L L L L',
  },
  'sign-mentor-step': {
    candidate: '- 403 403 403 403',
    mentor: '- ok ok 409 409',
    recommender: '- 403 403 403 403',
    otherMentor: '- 403 403 403 403',
    otherHr: '- 403 403 403 403',
    admin: '- 403 403 403 403',
    hrCandidate: '- 403 403 403 403',
    hrMentor: '- ok ok 409 409',
    deactivatedHr: '- L L L L',
  },
  'sign-hr-step': {
    candidate: '- 403 403 403 403',
    mentor: '- 403 403 403 403',
    recommender: '- ok ok 409 409',
    otherMentor: '- 403 403 403 403',
    otherHr: '- ok ok 409 409',
    admin: '- 403 403 403 403',
    hrCandidate: '- 403 403 403 403',
    hrMentor: '- 403 403 403 403',
    deactivatedHr: '- L L L L',
  },
  return: {
    candidate: '- 403 403 403 403',
    mentor: '- ok ok 409 409',
    recommender: '- 403 403 403 403',
    otherMentor: '- 403 403 403 403',
    otherHr: '- 403 403 403 403',
    admin: '- 403 403 403 403',
    hrCandidate: '- 403 403 403 403',
    hrMentor: '- ok ok 409 409',
    deactivatedHr: '- L L L L',
  },
  revoke: {
    candidate: '- 403 403 403 403',
    mentor: '- ok ok ok ok',
    recommender: '- ok ok ok ok',
    otherMentor: '- 403 403 403 403',
    otherHr: '- ok ok ok ok',
    admin: '- 403 403 403 403',
    hrCandidate: '- 403 403 403 403',
    hrMentor: '- ok ok ok ok',
    deactivatedHr: '- L L L L',
  },
  recommend: {
    candidate: '403 403 403 403 403',
    mentor: '404 ok 409 404 404',
    recommender: '403 403 403 403 403',
    otherMentor: '403 403 403 403 403',
    otherHr: '403 403 403 403 403',
    admin: '403 403 403 403 403',
    hrCandidate: '403 403 403 403 403',
    hrMentor: '404 ok 409 404 404',
    deactivatedHr: 'L L L L L',
  },
  approve: {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '404 409 409 404 404',
    otherMentor: '403 403 403 403 403',
    otherHr: '404 ok 409 404 404',
    admin: '403 403 403 403 403',
    hrCandidate: '404 403 403 404 404',
    hrMentor: '404 403 403 404 404',
    deactivatedHr: 'L L L L L',
  },
  'approve-override': {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '404 409 409 404 404',
    otherMentor: '403 403 403 403 403',
    otherHr: '404 ok 409 404 404',
    admin: '403 403 403 403 403',
    hrCandidate: '404 403 403 404 404',
    hrMentor: '404 403 403 404 404',
    deactivatedHr: 'L L L L L',
  },
  decline: {
    candidate: '403 403 403 403 403',
    mentor: '403 403 403 403 403',
    recommender: '409 409 409 409 409',
    otherMentor: '403 403 403 403 403',
    otherHr: '409 ok 409 409 409',
    admin: '403 403 403 403 403',
    hrCandidate: '409 403 403 409 409',
    hrMentor: '409 403 403 409 409',
    deactivatedHr: 'L L L L L',
  },
}

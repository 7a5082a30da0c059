/**
 * Who may take which decision in the development program, pure and written once. Each predicate
 * takes the viewer (id and roles, as held now) and the facts of the case, and answers allowed or a
 * reason in plain words. Routes use them for what a page offers and to guard an action; the models
 * evaluate them again inside the transaction, from the rows they read there.
 *
 * Two rules hold for every decision:
 *   - nobody acts on their own case, whatever roles they hold;
 *   - every advancement needs two other people: the recorded recommender and the approver are
 *     different people, neither is the candidate; HR sign-offs are never by the candidate's mentor.
 */
import { hasPermission, type Viewer } from '~/domain/permissions'

export type Right = { ok: true } | { ok: false; reason: string }
export type EnrollmentStatus = 'active' | 'paused' | 'withdrawn' | 'certified'

const allowed: Right = { ok: true }
const refused = (reason: string): Right => ({ ok: false, reason })

/** The first refusal of a list of checks, or allowed. */
function firstRefusal(...checks: Array<string | false | null | undefined>): Right {
  const reason = checks.find((c): c is string => typeof c === 'string')
  return reason ? refused(reason) : allowed
}

const ownCase = (viewer: Viewer, candidateId: number) =>
  viewer.id === candidateId && 'Nobody decides about their own program, whatever roles they hold.'
const manages = (viewer: Viewer) => !hasPermission(viewer, 'update:program:any') && 'Only HR manages enrollments.'

/** The minimum length of the written reason for starting later than the first stage. */
export const LATER_START_REASON_MIN = 10
/** The minimum length of an override's written reason. */
export const OVERRIDE_REASON_MIN = 20

/**
 * HR enrols a candidate who is not enrolled, at the first stage, or proposes a start at a later stage
 * with a written reason (prior experience), which a second HR person must confirm
 * (`canConfirmEnrolment`) — never at the final stage: certification is reached only through the gate.
 */
export function canEnrol(
  viewer: Viewer,
  facts: {
    candidateId: number
    enrolled: boolean
    stage: { order: number; name: string; final: boolean }
    reason: string | null
    /** A later-stage proposal for this candidate is waiting for its confirmation. */
    proposalPending?: boolean
    /** `import`: a row of a people import, by someone who may import people. */
    via?: 'form' | 'import'
  },
): Right {
  return firstRefusal(
    facts.via === 'import'
      ? !hasPermission(viewer, 'import:people:any') && 'Only HR and admins import people.'
      : manages(viewer),
    ownCase(viewer, facts.candidateId),
    facts.enrolled && 'This candidate is already enrolled in the program.',
    facts.proposalPending &&
      'An enrolment at a later stage is waiting for a second HR person’s confirmation; confirm or cancel it first.',
    facts.stage.final &&
      `Nobody can be enrolled at ${facts.stage.name}: certification is reached only through the stage gate.`,
    facts.stage.order > 1 &&
      !((facts.reason?.trim().length ?? 0) >= LATER_START_REASON_MIN) &&
      `Starting at ${facts.stage.name} needs a written reason (at least ${LATER_START_REASON_MIN} characters), e.g. prior experience.`,
  )
}

/** Whether an enrolment at this stage takes effect at once (the first stage) or waits for a second HR person. */
export const needsConfirmation = (stage: { order: number }) => stage.order > 1

type ProposalFacts = {
  candidateId: number
  /** Who proposed the later start. */
  proposedBy: number
  /** The mentor the proposal names. */
  mentorId: number
  /** The proposal is still waiting (not confirmed or cancelled). */
  pending: boolean
  enrolled: boolean
}

/**
 * A second HR person confirms a later-stage enrolment: never the proposer, never the mentor it
 * names, never the candidate — so a start beyond Shadow always rests on two people other than the
 * candidate.
 */
export function canConfirmEnrolment(viewer: Viewer, facts: ProposalFacts): Right {
  return firstRefusal(
    manages(viewer),
    ownCase(viewer, facts.candidateId),
    !facts.pending && 'This proposal is no longer waiting for confirmation.',
    facts.proposedBy === viewer.id && 'You proposed this enrolment; another HR person must confirm it.',
    facts.mentorId === viewer.id && 'You are named as the mentor; another HR person must confirm it.',
    facts.enrolled && 'This candidate is already enrolled in the program.',
  )
}

/** HR (the proposer, or the person asked to confirm) cancels a waiting proposal, with a reason. */
export function canCancelEnrolmentProposal(
  viewer: Viewer,
  facts: Pick<ProposalFacts, 'candidateId' | 'pending'>,
): Right {
  return firstRefusal(
    manages(viewer),
    ownCase(viewer, facts.candidateId),
    !facts.pending && 'This proposal is no longer waiting for confirmation.',
  )
}

type EnrolmentFacts = { candidateId: number; status: EnrollmentStatus | null }

/** HR pauses an active enrollment (leave, reassignment). */
export function canPause(viewer: Viewer, facts: EnrolmentFacts): Right {
  return firstRefusal(
    manages(viewer),
    ownCase(viewer, facts.candidateId),
    facts.status === null || facts.status === 'withdrawn' || facts.status === 'certified'
      ? 'This candidate is not enrolled.'
      : null,
    facts.status === 'paused' && 'This candidate is already paused.',
  )
}

/** HR resumes a paused enrollment. */
export function canResume(viewer: Viewer, facts: EnrolmentFacts): Right {
  return firstRefusal(
    manages(viewer),
    ownCase(viewer, facts.candidateId),
    facts.status !== 'paused' && 'This candidate is not paused.',
  )
}

/** HR withdraws an active or paused enrollment. */
export function canWithdraw(viewer: Viewer, facts: EnrolmentFacts): Right {
  return firstRefusal(
    manages(viewer),
    ownCase(viewer, facts.candidateId),
    facts.status !== 'active' && facts.status !== 'paused' && 'This candidate is not enrolled.',
  )
}

/**
 * Sign off (or return) a milestone at one step: the mentor step only by the candidate's mentor (in
 * the mentor role); the HR step only by HR who is neither the candidate's mentor nor the candidate.
 */
export function canSignOff(
  viewer: Viewer,
  facts: {
    candidateId: number
    mentorId: number | null
    step: 'mentor' | 'hr'
    /** The milestone's enrollment (a pause does not stop reviews). */ status?: EnrollmentStatus | null
  },
): Right {
  const isMentor = facts.mentorId !== null && facts.mentorId === viewer.id
  const ended =
    facts.status !== undefined &&
    facts.status !== 'active' &&
    facts.status !== 'paused' &&
    'This enrollment has ended; its milestones are no longer signed off.'
  if (facts.step === 'mentor')
    return firstRefusal(
      ownCase(viewer, facts.candidateId),
      !(isMentor && hasPermission(viewer, 'update:milestone:mentee')) &&
        'Only the candidate’s mentor can sign off this milestone.',
      ended,
    )
  return firstRefusal(
    ownCase(viewer, facts.candidateId),
    !hasPermission(viewer, 'update:milestone:any') && 'This milestone needs an HR sign-off.',
    isMentor && 'You mentor this candidate; another HR person must sign this off.',
    ended,
  )
}

type AdvancementFacts = { candidateId: number; mentorId: number | null; status: EnrollmentStatus | null }

const notActive = (status: EnrollmentStatus | null) =>
  status === 'paused'
    ? 'The candidate is paused; resume the program first.'
    : status === 'withdrawn'
      ? 'The candidate has withdrawn from the program.'
      : status === 'certified'
        ? 'The candidate is already certified.'
        : status !== 'active'
          ? 'The candidate is not enrolled in a stage.'
          : null

/** The candidate's current mentor recommends advancement, while the candidate is active (not paused or withdrawn). */
export function canRecommend(viewer: Viewer, facts: AdvancementFacts): Right {
  return firstRefusal(
    ownCase(viewer, facts.candidateId),
    !(
      facts.mentorId !== null &&
      facts.mentorId === viewer.id &&
      hasPermission(viewer, 'create:recommendation:mentee')
    ) && 'Only the candidate’s mentor can recommend advancement.',
    notActive(facts.status),
  )
}

type DecisionFacts = AdvancementFacts & { recommendedBy: number | null }

/**
 * HR decides on a recommended advancement: never the candidate, never the person who recommended it
 * (compared with the recorded recommender, whoever mentors now), never the current mentor; only
 * while the candidate is active.
 */
function canDecide(viewer: Viewer, facts: DecisionFacts): Right {
  return firstRefusal(
    !hasPermission(viewer, 'update:advancement:any') && 'Only HR decides on advancement.',
    ownCase(viewer, facts.candidateId),
    facts.recommendedBy === null && 'The mentor has not recommended this advancement.',
    facts.recommendedBy === viewer.id && 'You recommended this advancement; another HR person must decide it.',
    facts.mentorId !== null &&
      facts.mentorId === viewer.id &&
      'You mentor this candidate; another HR person must decide.',
    notActive(facts.status),
  )
}

export const canApprove = (viewer: Viewer, facts: DecisionFacts): Right => canDecide(viewer, facts)
export const canDecline = (viewer: Viewer, facts: DecisionFacts): Right => canDecide(viewer, facts)

/** Approving despite unmet conditions: whoever may approve, with a written reason. */
export function canOverride(viewer: Viewer, facts: DecisionFacts & { overrideReason: string | null }): Right {
  const approve = canApprove(viewer, facts)
  if (!approve.ok) return approve
  return firstRefusal(
    !((facts.overrideReason?.trim().length ?? 0) >= OVERRIDE_REASON_MIN) &&
      `An override needs a written reason of at least ${OVERRIDE_REASON_MIN} characters.`,
  )
}

/** Throws `make(reason)` when the right is refused; a guard for routes and models. */
export function assertRight(right: Right, make: (reason: string) => Error): void {
  if (!right.ok) throw make(right.reason)
}

/**
 * An administrator replaces a candidate's mentor (the admin person form, or an import by someone who
 * may edit people); a first mentor may also come with an import row that enrols. Never one's own:
 * the mentor is the first of the two people who decide.
 */
export function canChangeMentor(
  viewer: Viewer,
  facts: { candidateId: number; /** The candidate has a mentor now. */ replacing: boolean },
): Right {
  return firstRefusal(
    facts.replacing &&
      !hasPermission(viewer, 'update:person:any') &&
      'Only an administrator changes a candidate’s mentor.',
    viewer.id === facts.candidateId && 'Nobody chooses their own mentor; another administrator must change it.',
  )
}

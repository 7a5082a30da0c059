/**
 * The STO framework as data: the zod schemas every file in `content/` must meet.
 * Pure: no I/O here. `content.server.ts` reads the files; `parseFramework` checks them.
 */
import { z } from 'zod'

/** Ids are stable keys stored in the database: lowercase words joined by hyphens. */
export const slugId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens, e.g. "ml-fundamentals"')
  .max(64)

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max)

/** Every content file names the framework and version it belongs to. */
const fileHeader = {
  framework: slugId,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as "1.0.0"'),
}

export const proficiencyLevels = [1, 2, 3, 4, 5] as const
export type ProficiencyLevel = (typeof proficiencyLevels)[number]

const levelNumber = z.number().int().min(1).max(5)

const levelAnchorSchema = z.object({
  level: levelNumber,
  anchor: text(400),
})

const behaviourSchema = z.object({
  /** Stable id of a 360 statement, e.g. "ml-fundamentals.b1". */
  id: z.string().regex(/^[a-z][a-z0-9-]*\.b[1-9]$/, 'must look like "<capability-id>.b1"'),
  text: text(300),
})

const capabilitySchema = z.object({
  id: slugId,
  name: text(60),
  whatGoodLooksLike: text(400),
  levels: z
    .array(levelAnchorSchema)
    .length(5, 'must have exactly 5 levels')
    .refine((levels) => levels.every((l, i) => l.level === i + 1), 'levels must be numbered 1 to 5 in order'),
  behaviours: z
    .array(behaviourSchema)
    .min(2, 'needs at least 2 behaviour statements')
    .max(3, 'at most 3 behaviour statements'),
})

const domainSchema = z.object({
  id: slugId,
  name: text(60),
  summary: text(400),
  capabilities: z.array(capabilitySchema).length(4, 'each domain has exactly 4 capabilities'),
})

export const frameworkFileSchema = z.object({
  ...fileHeader,
  title: text(120),
  scale: z
    .array(z.object({ level: levelNumber, name: text(40), description: text(300) }))
    .length(5, 'the scale has exactly 5 levels')
    .refine((levels) => levels.every((l, i) => l.level === i + 1), 'scale levels must be numbered 1 to 5 in order'),
  domains: z.array(domainSchema).length(4, 'the framework has exactly 4 domains'),
})

export const backgroundsFileSchema = z.object({
  ...fileHeader,
  backgrounds: z
    .array(
      z.object({
        id: slugId,
        name: text(60),
        description: text(500),
        typicalGap: z.object({
          summary: text(300),
          /** Domains the gap is mainly about. */
          domains: z.array(slugId).min(1),
          /** Capabilities the gap concerns; checked against framework.json. */
          capabilities: z.array(slugId).min(1).max(16),
        }),
      }),
    )
    .length(4, 'there are exactly 4 candidate backgrounds'),
})

export const signOffRoles = ['mentor', 'hr', 'mentor-then-hr'] as const
export type SignOffRole = (typeof signOffRoles)[number]

const milestoneTemplateSchema = z.object({
  id: slugId,
  title: text(120),
  description: text(600),
  evidence: text(400),
  signOff: z.enum(signOffRoles),
  required: z.boolean(),
})

const stageSchema = z.object({
  id: slugId,
  order: z.number().int().min(1),
  name: text(60),
  summary: text(600),
  window: z
    .object({
      minMonths: z.number().int().min(0),
      /** null: no upper bound (the seed says "12+ months"). */
      maxMonths: z.number().int().min(1).nullable(),
    })
    .nullable()
    .refine(
      (w) => w === null || w.maxMonths === null || w.maxMonths >= w.minMonths,
      'maxMonths must not be below minMonths',
    ),
  /** What the stage records about the candidate (delegated domain, pod and tier, certified tiers). */
  records: z.array(z.enum(['delegatedDomain', 'podAndRiskTier', 'certifiedRiskTiers'])).default([]),
  milestones: z.array(milestoneTemplateSchema),
  /** The profile needed to leave this stage; null for the final stage. */
  exitTarget: z
    .object({
      rule: text(400),
      /** How far below a target the others' mean may be and still count as met. */
      tolerance: z.number().min(0).max(1),
      targets: z.record(slugId, levelNumber),
    })
    .nullable(),
})

export const programFileSchema = z.object({
  ...fileHeader,
  riskTiers: z.array(z.object({ id: slugId, name: text(40), description: text(300) })).min(2),
  delegatedDomains: z.array(z.object({ id: slugId, name: text(60), description: text(300) })).min(2),
  stages: z
    .array(stageSchema)
    .length(4, 'the program has exactly 4 stages')
    .refine((stages) => stages.every((s, i) => s.order === i + 1), 'stages must be ordered 1 to 4 in file order'),
})

const rightSchema = z.object({ id: slugId, area: text(60), description: text(400) })

export const decisionRightsFileSchema = z.object({
  ...fileHeader,
  decideAlone: z.array(rightSchema).min(1),
  escalate: z.array(rightSchema.extend({ escalateTo: text(60) })).min(1),
  guardrails: z
    .array(z.object({ id: slugId, type: text(60), example: text(200), response: text(200), explanation: text(400) }))
    .min(1),
})

export type FrameworkFile = z.infer<typeof frameworkFileSchema>
export type BackgroundsFile = z.infer<typeof backgroundsFileSchema>
export type ProgramFile = z.infer<typeof programFileSchema>
export type DecisionRightsFile = z.infer<typeof decisionRightsFileSchema>
export type Domain = FrameworkFile['domains'][number]
export type Capability = Domain['capabilities'][number]
export type Background = BackgroundsFile['backgrounds'][number]
export type Stage = ProgramFile['stages'][number]
export type MilestoneTemplate = Stage['milestones'][number]

/** The content files, by file name, with the schema each must meet. */
export const contentFiles = {
  'framework.json': frameworkFileSchema,
  'backgrounds.json': backgroundsFileSchema,
  'program.json': programFileSchema,
  'decision-rights.json': decisionRightsFileSchema,
} as const
export type ContentFileName = keyof typeof contentFiles

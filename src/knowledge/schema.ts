/**
 * The knowledge model as zod schemas: the single definition of what `knowledge/*.yaml` may hold.
 *
 * Numbers are strings on purpose: "0.50", "12.0" and "7.00" must reach the card exactly as the source
 * prints them, and YAML numbers would silently drop trailing zeros.
 */
import { z } from 'zod';

const idOf = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}-[a-z0-9]+(-[a-z0-9]+)*$`), `must look like ${prefix}-words-joined-by-hyphens`);

export const MechanismId = idOf('mech');
export const AgentId = idOf('agent');
export const EvidenceId = idOf('ev');

/** A figure as printed in the source: 9.6, 0.50, 56.5, NR (not reached). */
export const Figure = z.string().regex(/^(\d+(\.\d+)?|NR)$/, 'must be a decimal as printed in the source, or NR');
/** A P value as printed: <0.001, 0.046, .0059, =0.02 is written 0.02. */
export const PValue = z.string().regex(/^[<>≤]?(\d+)?\.\d+$/, 'must be like <0.001, 0.046 or .0059');
export const ConfidenceInterval = z.tuple([Figure, Figure]);

const Semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'semver, like 1.0.0');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const Level = z.enum(['A', 'B', 'C', 'D', 'E']);
export const Url = z.url({ protocol: /^https?$/ });

/**
 * Sentences for whoever edits the data ("do not call it phase 3", "quote only with this caveat", where a
 * secondary source went wrong). Validated like the rest, never rendered on a card, never indexed for
 * search and left out of every answer's JSON: what a reader needs goes into the reader-facing fields as a
 * plain statement.
 */
export const CuratorNotes = z.array(z.string().min(1)).default([]);

/** A statement that the fact sheet marks [V] (verified) or [U] (unverified). */
export const Statement = z.strictObject({
  text: z.string().min(1),
  verified: z.boolean(),
  source: Url.optional(),
});

export const ResultValue = z.strictObject({
  /** The arm or group this value belongs to, as the card should name it ("T-DM1", "PIK3CA-mutant"). */
  arm: z.string().min(1).optional(),
  value: Figure,
  ci: ConfidenceInterval.optional(),
});

export const Ratio = z.strictObject({
  kind: z.enum(['HR', 'RR', 'OR', 'SRD']),
  value: Figure,
  ci: ConfidenceInterval.optional(),
});

export const Result = z.strictObject({
  /** What was measured, as a clinician reads it: "PFS", "OS", "ORR", "3-year iDFS", "12-month PFS". */
  endpoint: z.string().min(1),
  /** Subgroup or analysis the figures belong to, when not the whole trial population. */
  population: z.string().min(1).optional(),
  values: z.array(ResultValue).default([]),
  unit: z.enum(['months', 'weeks', 'years', '%']).optional(),
  ratio: Ratio.optional(),
  p: PValue.optional(),
  /** Anything the structure cannot hold ("did not meet its significance threshold"). */
  note: z.string().min(1).optional(),
  verified: z.boolean(),
  source: Url.optional(),
});

export const EvidenceKind = z.enum([
  'preclinical',
  'translational',
  'retrospective-cohort',
  'prospective-cohort',
  'phase-1',
  'phase-1-2',
  'phase-2',
  'phase-3',
  'phase-3b-4',
  'pooled-analysis',
  'biomarker-analysis',
  'meta-analysis',
]);

export const Arm = z.strictObject({
  label: z.string().min(1),
  regimen: z.string().min(1).optional(),
  n: z.number().int().positive().optional(),
});

export const Citation = z.strictObject({
  /** Readable citation as the card prints it: "Verma S, Miles D, Gianni L, et al. N Engl J Med 2012". */
  text: z.string().min(1),
  journal: z.string().min(1).optional(),
  /** Left out when the fact sheet gives no verified year. */
  year: z.number().int().min(1950).max(2100).optional(),
  /** False when the fact sheet marks the citation details [U]. */
  verified: z.boolean(),
  pmid: z
    .string()
    .regex(/^\d{1,9}$/, 'a PMID is digits only')
    .optional(),
  doi: z
    .string()
    .regex(/^10\.\d{4,9}\/\S+$/, 'a DOI looks like 10.NNNN/suffix')
    .optional(),
  nct: z.array(z.string().regex(/^NCT\d{8}$/, 'an NCT id is NCT followed by 8 digits')).optional(),
  pmcid: z
    .string()
    .regex(/^PMC\d+$/, 'a PMCID looks like PMC1234567')
    .optional(),
  /** Where an identifier that the fact sheet lacked was later verified (with the search tool). */
  idSource: Url.optional(),
});

export const Direction = z.enum(['supports', 'does-not-support', 'conflicting', 'neutral']);
export const Significance = z.enum([
  'significant',
  'not-significant',
  'exploratory',
  'descriptive',
  'stopped-early',
  'not-applicable',
]);

/**
 * The HER2 population a study enrolled. The knowledge base covers HER2-positive (amplified or
 * overexpressed) disease; HER2-low and HER2-ultralow trials are held only so answers can point to them
 * and say they are outside its scope.
 */
export const Her2Population = z.enum(['her2-positive', 'her2-low', 'her2-low-ultralow']);

export const Evidence = z.strictObject({
  id: EvidenceId,
  /** Trial acronym or first author + year: "EMILIA", "Nagata 2004". */
  name: z.string().min(1),
  /** One line on what the study asked. */
  title: z.string().min(1),
  /** Other names people type for it: protocol numbers, registry names ("TDM4374g", "GBG 26"). */
  aliases: z.array(z.string().min(1)).default([]),
  kind: EvidenceKind,
  /** Left out for HER2-positive studies; anything else is outside the knowledge base's scope. */
  her2Population: Her2Population.default('her2-positive'),
  design: z.string().min(1).optional(),
  setting: z.string().min(1),
  arms: z.array(Arm).default([]),
  n: z.number().int().positive().optional(),
  primaryEndpoint: z.string().min(1).optional(),
  /** One or two sentences of verified content: what the study found. */
  summary: z.string().min(1),
  results: z.array(Result).default([]),
  findings: z.array(Statement).default([]),
  level: Level,
  /** Why the level, when the sheet gives two ("D for the mechanism, B for the patient cohort"). */
  levelNote: z.string().min(1).optional(),
  direction: Direction,
  significance: Significance,
  /** Publication year; left out when not verified (relativeToReview still places the item in time). */
  year: z.number().int().min(1950).max(2100).optional(),
  /** Before or after the review (February 2011). */
  relativeToReview: z.enum(['before', 'after']),
  citation: Citation,
  agents: z.array(AgentId).default([]),
  /**
   * Agents among `agents` given only as comparator, common backbone or prior therapy (T-DM1 in
   * DESTINY-Breast05): the study still shows on their cards, after the studies that test them.
   */
  comparators: z.array(AgentId).default([]),
  mechanisms: z.array(MechanismId).default([]),
  caveats: z.array(z.string().min(1)).default([]),
  curatorNotes: CuratorNotes,
  /** Where the facts were read (the sheet's [V: …] URLs). */
  sources: z.array(Url).min(1),
});

export const NameKind = z.enum(['generic', 'brand', 'code', 'alias']);
export const Name = z.strictObject({
  name: z.string().min(1),
  kind: NameKind,
  /** Unverified names help search but are never printed on a card. */
  verified: z.boolean(),
});

export const Member = z.strictObject({
  names: z.array(Name).min(1),
  note: z.string().min(1).optional(),
});

export const Approval = z.strictObject({
  region: z.enum(['US', 'EU', 'China', 'Japan', 'other']),
  date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date is YYYY, YYYY-MM or YYYY-MM-DD')
    .optional(),
  text: z.string().min(1),
  verified: z.boolean(),
  source: Url.optional(),
});

export const Era = z.enum(['review', 'later']);

export const Agent = z.strictObject({
  id: AgentId,
  /** Display name: "T-DM1 (trastuzumab emtansine)", "HSP90 inhibitors". */
  name: z.string().min(1),
  names: z.array(Name).default([]),
  members: z.array(Member).default([]),
  class: z.string().min(1),
  targets: z.array(z.string().min(1)).min(1),
  mechanismOfAction: z.string().min(1),
  mechanisms: z.array(MechanismId).default([]),
  /** One line: "Approved (US 2013, EU)", "Investigational; none approved". */
  status: z.string().min(1),
  approvals: z.array(Approval).default([]),
  safety: z.array(Statement).default([]),
  evidence: z.array(EvidenceId).default([]),
  /**
   * Why no evidence item concerns this agent, when none does (e.g. no verified study of an AKT
   * inhibitor in HER2-positive disease). Without it, an agent with no evidence is an error.
   */
  evidenceGap: z.string().min(1).optional(),
  caveats: z.array(z.string().min(1)).default([]),
  curatorNotes: CuratorNotes,
  era: Era,
});

/**
 * What an agent does to a mechanism, as the evidence allows saying it:
 * - `overcomes`: evidence naming both supports that it works against the mechanism (at the link's level);
 * - `partner`: it is the HER2 side of a combination that addresses the mechanism (with endocrine therapy,
 *   with PI3K-pathway inhibitors), not a drug that overcomes it alone;
 * - `proposed`: a rationale only (mechanistic inference or preclinical hints; never level A or B);
 * - `applies-while-her2-persists`: used because HER2 usually persists, not shown to overcome HER2 loss;
 * - `does-not-overcome`: evidence shows it does not escape the mechanism (or itself triggers it);
 * - `not-expected`: by inference (level E) it is not expected to act against the mechanism.
 */
export const LinkKind = z.enum([
  'overcomes',
  'partner',
  'proposed',
  'applies-while-her2-persists',
  'does-not-overcome',
  'not-expected',
]);

export const AgentLink = z.strictObject({
  agent: AgentId,
  /** One line: why this agent is expected to work (or not) against the mechanism. */
  rationale: z.string().min(1),
  kind: LinkKind,
  /** Level of the best evidence for this link (E = mechanistic inference only). */
  level: Level,
  evidence: z.array(EvidenceId).default([]),
});

export const Mechanism = z.strictObject({
  id: MechanismId,
  name: z.string().min(1),
  shortName: z.string().min(1),
  aliases: z.array(z.string().min(1)).min(1),
  /** One or two sentences. */
  summary: z.string().min(1),
  description: z.string().min(1),
  /** True for the three models the review's abstract names. */
  namedInReview: z.boolean(),
  era: Era,
  biomarkers: z.array(Statement).default([]),
  frequency: z.array(Statement).default([]),
  agents: z.array(AgentLink).default([]),
  evidence: z.array(EvidenceId).default([]),
  caveats: z.array(z.string().min(1)).default([]),
  curatorNotes: CuratorNotes,
});

export const Review = z.strictObject({
  citation: z.strictObject({
    authors: z.array(z.string().min(1)).min(1),
    title: z.string().min(1),
    journal: z.string().min(1),
    journalAbbrev: z.string().min(1),
    year: z.number().int(),
    month: z.string().min(1),
    volume: z.string().min(1),
    issue: z.string().min(1),
    pages: z.string().min(1),
    doi: z.string().regex(/^10\.\d{4,9}\/\S+$/),
    pmcid: z.string().regex(/^PMC\d+$/),
    text: z.string().min(1),
  }),
  summary: z.string().min(1),
  thesis: z.string().min(1),
  scope: z.array(z.string().min(1)).min(1),
  keywords: z.array(z.string().min(1)).default([]),
  mechanisms: z.array(MechanismId).min(1),
  agents: z.array(AgentId).min(1),
  /** What is and is not known about the review (sheet §1), as statements a reader may see. */
  limits: z.array(z.string().min(1)).default([]),
  curatorNotes: CuratorNotes,
  sources: z.array(Url).min(1),
  knowledgeBase: z.strictObject({ version: Semver, date: IsoDate }),
});

/** Any id the knowledge base holds (a mechanism, an agent or an evidence item). */
export const KbId = z.union([MechanismId, AgentId, EvidenceId]);

/** Somewhere a reader can look instead: a guideline or a regulator's page, as the sheet gives it. */
export const Pointer = z.strictObject({
  label: z.string().min(1),
  url: Url,
});

/** One topic outside the knowledge base (sheet §7.5.1), with what to say and where to look instead. */
export const NotCovered = z.strictObject({
  id: idOf('scope'),
  /** Short and reader-facing: "HER2-low and HER2-ultralow breast cancer". */
  topic: z.string().min(1),
  /** What is not covered and why, in sentences a reader sees as they are. */
  answer: z.string().min(1),
  /** Knowledge-base items offered as related links. */
  related: z.array(KbId).default([]),
  lookInstead: z.array(Pointer).default([]),
});

export const Guideline = z.strictObject({
  label: z.string().min(1),
  citation: z.string().min(1),
  /** Left out when the sheet verifies no link for it. */
  url: Url.optional(),
});

/** A common clinical situation and the evidence to show for it (sheet §7.5.2). */
export const Situation = z.strictObject({
  id: idOf('situation'),
  label: z.string().min(1),
  evidence: z.array(EvidenceId).min(1),
});

export const Scope = z.strictObject({
  /** Plain reader-facing statements of what the knowledge base covers. */
  covers: z.array(z.string().min(1)).min(1),
  notCovered: z.array(NotCovered).min(1),
  /** The patient-specific rule (sheet §7.5.2): no individual advice; evidence and guideline pointers instead. */
  patientQuestions: z.strictObject({
    statement: z.string().min(1),
    /** Shown with the guidelines: versions change, so readers check the live site. */
    guidelinesNote: z.string().min(1).optional(),
    guidelines: z.array(Guideline).min(1),
    situations: z.array(Situation).default([]),
  }),
});

/** One corrected item and what was wrong, as a reader should read it. */
export const Correction = z.strictObject({
  id: z.union([KbId, z.literal('review')]),
  what: z.string().min(1),
});

/** One release of the knowledge base: what it added, changed and corrected (knowledge/changes.yaml). */
export const Release = z.strictObject({
  version: Semver,
  date: IsoDate,
  /** One or two reader-facing sentences. */
  summary: z.string().min(1),
  added: z.array(KbId).default([]),
  /** Items whose content changed (other than corrections), e.g. new evidence or approvals. */
  changed: z.array(z.union([KbId, z.literal('review')])).default([]),
  corrected: z.array(Correction).default([]),
  removed: z.array(KbId).default([]),
  /** Changes to the knowledge base as a whole (new files, new kinds of data), for readers. */
  notes: z.array(z.string().min(1)).default([]),
  /** The commit whose knowledge/ is this release; lets a test recompute the next release's lists from git. */
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/)
    .optional(),
});

/** The release history, newest first; the newest is the version in review.yaml. */
export const Changes = z.strictObject({ releases: z.array(Release).min(1) });

export type Statement = z.infer<typeof Statement>;
export type Result = z.infer<typeof Result>;
export type ResultValue = z.infer<typeof ResultValue>;
export type Evidence = z.infer<typeof Evidence>;
export type EvidenceKind = z.infer<typeof EvidenceKind>;
export type Her2Population = z.infer<typeof Her2Population>;
export type Agent = z.infer<typeof Agent>;
export type AgentLink = z.infer<typeof AgentLink>;
export type LinkKind = z.infer<typeof LinkKind>;
export type Mechanism = z.infer<typeof Mechanism>;
export type Review = z.infer<typeof Review>;
export type Level = z.infer<typeof Level>;
export type Name = z.infer<typeof Name>;
export type Scope = z.infer<typeof Scope>;
export type Release = z.infer<typeof Release>;
export type Changes = z.infer<typeof Changes>;
export type NotCovered = z.infer<typeof NotCovered>;
export type Situation = z.infer<typeof Situation>;
export type Guideline = z.infer<typeof Guideline>;
export type Pointer = z.infer<typeof Pointer>;

/**
 * The schema of `knowledge/concepts.yaml`, the concept layer: the vocabulary around the knowledge base's
 * entities (descriptions without names, classes, settings, endpoints, comparators, ambiguous aliases) and
 * the vocabulary that marks a question as out of scope, about a patient, or a greeting. Each top-level
 * section is read by one part of the bot; new kinds of vocabulary get new sections.
 */
import { z } from 'zod';
import { DigestConcepts } from './digest-concepts-schema.ts';
import { AgentId, EvidenceId, EvidenceKind, MechanismId } from './schema.ts';

const idOf = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}-[a-z0-9]+(-[a-z0-9]+)*$`), `must look like ${prefix}-words-joined-by-hyphens`);

const Phrases = z.array(z.string().trim().min(1)).default([]);

export const SettingId = idOf('setting');
export const EndpointId = idOf('endpoint');
export const ScopeId = idOf('scope');
export const SituationId = idOf('situation');

/** A named concept recognised by its phrases (a setting, an endpoint, a comparator, a partner drug). */
const Vocabulary = z.strictObject({ id: z.string().min(1), label: z.string().min(1).optional(), phrases: Phrases });

export const Setting = Vocabulary.extend({
  id: SettingId,
  label: z.string().min(1),
  /** `prior`: the setting names what came before ("after T-DM1"): a drug named there is prior therapy. */
  kind: z.enum(['line', 'prior']).default('line'),
  /** Early (curative-intent) or metastatic disease, when the setting implies one. */
  stage: z.enum(['early', 'metastatic']).optional(),
  /** For a prior setting: the agent it names ("after T-DM1" → agent-t-dm1). */
  agent: AgentId.optional(),
  /** A trial whose setting says one of these is not in this setting ("adjuvant" in a metastatic trial). */
  notWith: Phrases,
});

export const Endpoint = Vocabulary.extend({
  id: EndpointId,
  label: z.string().min(1),
  /** Words of a result's endpoint name (evidence.yaml `results[].endpoint`) that mean this endpoint. */
  results: Phrases,
});

export const AmbiguousAlias = z.strictObject({
  alias: z.string().min(1),
  means: z.union([MechanismId, AgentId]),
  caseSensitiveInText: z.boolean().default(false),
  notFollowedBy: Phrases,
  notPrecededBy: Phrases,
  /** When given, the alias counts only in these written forms. */
  onlyAs: Phrases,
});

export const Concepts = z.strictObject({
  mechanisms: z.record(MechanismId, z.strictObject({ describe: Phrases })).default({}),
  agents: z.record(AgentId, z.strictObject({ classes: Phrases, describe: Phrases })).default({}),
  /** Trial-specific phrases (descriptions without the acronym) and settings the trial's text does not say. */
  trials: z
    .record(EvidenceId, z.strictObject({ describe: Phrases, settings: z.array(SettingId).default([]) }))
    .default({}),
  companions: z.array(Vocabulary.extend({ id: idOf('drug') })).default([]),
  settings: z.array(Setting).default([]),
  endpoints: z.array(Endpoint).default([]),
  designs: z
    .array(Vocabulary.extend({ id: idOf('design'), label: z.string().min(1), kinds: z.array(EvidenceKind).min(1) }))
    .default([]),
  comparators: z.array(Vocabulary.extend({ id: idOf('comparator'), label: z.string().min(1) })).default([]),
  ambiguous: z.array(AmbiguousAlias).default([]),
  notCovered: z.record(ScopeId, z.strictObject({ phrases: Phrases, unless: Phrases })).default({}),
  unheld: z
    .strictObject({ trials: Phrases, drugs: Phrases, drugSuffixes: Phrases })
    .default({ trials: [], drugs: [], drugSuffixes: [] }),
  patientRequests: z
    .strictObject({
      strong: Phrases,
      weak: Phrases,
      patterns: z.array(z.string().min(1)).default([]),
      situations: z.record(SituationId, z.array(SettingId)).default({}),
    })
    .default({ strong: [], weak: [], patterns: [], situations: {} }),
  greetings: z
    .strictObject({ hello: Phrases, thanks: Phrases, filler: Phrases })
    .default({ hello: [], thanks: [], filler: [] }),
  /** How the digest classifier reads an abstract: population, covariates, drug targets (digest-concepts-schema.ts). */
  digest: DigestConcepts.default(DigestConcepts.parse({})),
});

export type ConceptsData = z.infer<typeof Concepts>;
export type Setting = z.infer<typeof Setting>;
export type Endpoint = z.infer<typeof Endpoint>;

/**
 * The `digest` section of knowledge/concepts.yaml: the vocabulary the digest classifier reads an
 * abstract with, beside the entity names. The grammar (a HER2 term followed by its qualifier, a
 * covariate cue before a name) is code in src/digest/; the words are data, here.
 */
import { z } from 'zod';
import { AgentId, MechanismId } from './schema.ts';

const Phrases = z.array(z.string().trim().min(1)).default([]);

export const DigestPopulation = z.strictObject({
  /** Ways of writing HER2 itself. */
  her2Terms: Phrases,
  /** Written right after a HER2 term ("HER2-positive", "HER2 amplified", "HER2+"): HER2-positive disease. */
  positive: Phrases,
  /** Written right after a HER2 term: a population outside HER2-positive disease ("HER2-low", "HER2-mutant"). */
  other: Phrases,
  /** Words after an "other" qualifier that make it a finding about HER2-positive disease, not its population. */
  otherIsFinding: Phrases,
  /** Populations outside HER2-positive disease named without a HER2 term ("triple-negative"). */
  otherDisease: Phrases,
  /** Breast: the organ, and HER2-amplified breast cancer models that imply it. */
  breast: Phrases,
  /** Other sites of HER2-positive cancer, and other tumours. */
  otherSites: Phrases,
  /** Subjects who are not patients (a biosimilar's pharmacokinetics in healthy volunteers). */
  healthySubjects: Phrases,
  /** A sentence with one of these states who was left out ("HER2-positive tumours were excluded"). */
  exclusion: Phrases,
  /** What the record is about when it is not about treatment: cardiac epidemiology, screening, incidence. */
  offTopicSubjects: Phrases,
});

export const DigestConcepts = z.strictObject({
  population: DigestPopulation.default({
    her2Terms: [],
    positive: [],
    other: [],
    otherIsFinding: [],
    otherDisease: [],
    breast: [],
    otherSites: [],
    healthySubjects: [],
    exclusion: [],
    offTopicSubjects: [],
  }),
  /** Cues after which a name is a covariate, stratification factor or subgroup, not what is studied. */
  covariateCues: Phrases,
  /** Words right after a name that make it a covariate ("hormone receptor status"). */
  covariateAfter: Phrases,
  /** Words around a target that make it a drug's target ("inhibitor of EGFR", "EGFR/HER2 blockade"). */
  targetBefore: Phrases,
  targetAfter: Phrases,
  /** The target words of each inhibitor class: "inhibition of Met" names MET inhibitors. */
  classTargets: z.record(AgentId, Phrases).default({}),
  /** Aliases too generic to tag a mechanism alone (AKT, EGFR): they need a second mention or a title. */
  weakAliases: z.record(MechanismId, Phrases).default({}),
  /** Words saying a node is altered or at work ("activation", "mutation", "reactivated"): a generic alias counts there. */
  alterationCues: Phrases,
  /**
   * Agents that act on a mechanism: a study of the drug is a study of the mechanism (everolimus → PI3K
   * pathway). `via`, when given: only these names of the agent imply it (palbociclib, not "CDK2 inhibitor").
   */
  actsOn: z.array(z.strictObject({ agent: AgentId, mechanism: MechanismId, via: Phrases })).default([]),
});

export type DigestConceptsData = z.infer<typeof DigestConcepts>;

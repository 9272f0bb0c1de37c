/** Human labels for the model's enumerations, shared by search, cards and the digest. */
import type { EvidenceKind, Her2Population, Level } from './schema.ts';

const KIND_LABELS: Record<EvidenceKind, string> = {
  preclinical: 'preclinical',
  translational: 'translational',
  'retrospective-cohort': 'retrospective cohort',
  'prospective-cohort': 'prospective cohort',
  'phase-1': 'phase I',
  'phase-1-2': 'phase I/II',
  'phase-2': 'phase II',
  'phase-3': 'phase III',
  'phase-3b-4': 'phase IIIb/IV',
  'pooled-analysis': 'pooled analysis',
  'biomarker-analysis': 'biomarker analysis',
  'meta-analysis': 'meta-analysis',
};

export function evidenceKindLabel(kind: EvidenceKind): string {
  return KIND_LABELS[kind];
}

const LEVEL_LABELS: Record<Level, string> = {
  A: 'A, validated (practice-changing trial)',
  B: 'B, clinical evidence',
  C: 'C, case study',
  D: 'D, preclinical',
  E: 'E, inferential',
};

export function levelLabel(level: Level): string {
  return LEVEL_LABELS[level];
}

const POPULATION_LABELS: Record<Her2Population, string> = {
  'her2-positive': 'HER2-positive',
  'her2-low': 'HER2-low (IHC 1+ or IHC 2+/ISH−)',
  'her2-low-ultralow': 'HER2-low (IHC 1+ or IHC 2+/ISH−) or HER2-ultralow (IHC 0 with membrane staining)',
};

export function her2PopulationLabel(population: Her2Population): string {
  return POPULATION_LABELS[population];
}

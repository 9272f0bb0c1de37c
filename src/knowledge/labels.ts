/** Human labels for the model's enumerations, shared by search, cards and the digest. */
import type { EvidenceKind, Level } from './schema.ts';

const KIND_LABELS: Record<EvidenceKind, string> = {
  preclinical: 'preclinical',
  translational: 'translational',
  'retrospective-cohort': 'retrospective cohort',
  'prospective-cohort': 'prospective cohort',
  'phase-1': 'phase I',
  'phase-1-2': 'phase I/II',
  'phase-2': 'phase II',
  'phase-3': 'phase III',
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

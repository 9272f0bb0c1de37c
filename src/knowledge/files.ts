/** The files of `knowledge/`, by role. */
export const KNOWLEDGE_FILES = {
  review: 'review.yaml',
  mechanisms: 'mechanisms.yaml',
  agents: 'agents.yaml',
  evidence: 'evidence.yaml',
  scope: 'scope.yaml',
  concepts: 'concepts.yaml',
} as const;

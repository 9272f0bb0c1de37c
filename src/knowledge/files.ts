/** The files of `knowledge/`, by role, and the folder they are read from by default. */
import { projectPath } from '../util/project-root.ts';

export const DEFAULT_KNOWLEDGE_DIR = projectPath('knowledge');

export const KNOWLEDGE_FILES = {
  review: 'review.yaml',
  mechanisms: 'mechanisms.yaml',
  agents: 'agents.yaml',
  evidence: 'evidence.yaml',
  scope: 'scope.yaml',
  changes: 'changes.yaml',
  concepts: 'concepts.yaml',
} as const;

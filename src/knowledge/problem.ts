/** One thing wrong with the knowledge base, located as precisely as the check can. */
export interface Problem {
  file: string;
  line?: number | undefined;
  id?: string | undefined;
  field?: string | undefined;
  message: string;
  /** Warnings are shown by `kb lint` but do not fail it. */
  severity?: 'error' | 'warning';
}

export const isError = (p: Problem): boolean => p.severity !== 'warning';

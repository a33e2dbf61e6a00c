/** The answer of one health check. */
export interface DependencyCheck {
  ok: boolean;
  detail?: string;
  source?: string;
}

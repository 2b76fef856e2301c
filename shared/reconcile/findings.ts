/** What a reconciler run healed, by what it did. */
export const HEALED_KINDS = ['calculation-requeued', 'calculation-failed', 'redemption-requeued', 'redemption-failed', 'proposal-expired'] as const;
/** What it found and could not heal, by what it concerns. */
export const UNHEALED_KINDS = ['calculation', 'redemption-planning', 'redemption-workflow', 'proposal', 'outbox-undelivered'] as const;

export type HealedKind = (typeof HEALED_KINDS)[number];
export type UnhealedKind = (typeof UNHEALED_KINDS)[number];

export interface Finding<K extends string> {
  kind: K;
  subjectId: string;
  detail: string;
}

export interface Findings {
  healed: Finding<HealedKind>[];
  unhealed: Finding<UnhealedKind>[];
}

export const noFindings = (): Findings => ({ healed: [], unhealed: [] });

/** Runs one item's check; an error becomes an unhealed finding so the other items still get theirs. */
export async function checkItem(findings: Findings, kind: UnhealedKind, subjectId: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    findings.unhealed.push({ kind, subjectId, detail: `the check failed: ${(error as Error).message}` });
  }
}

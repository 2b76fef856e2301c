import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import type { ProjectRow } from '../db/schema';
import { actingAdminId, approvalDetails, type Authorship, directly } from '../dual-control/authorship';
import { Decimal } from '../decimal';
import { effectiveInstant } from '../effective-time';
import { NotFoundError, RuleViolationError } from '../errors';
import type { Caller } from '../identity/caller';
import { latestClosedRecordDate } from '../distributions/events.repository';
import { addIssuedTokens, lockProjectForLedger, lockProjectForUpdate } from '../projects/projects.repository';
import { asText, beyond, LP_TOKENS } from '../quantities';
import { findUserById } from '../users/users.repository';
import { adjustBalance, debitHeadroom, insertMovement, lockBalances } from './ledger.repository';
import type { MovementDto, RecordMovementInput } from './schemas';

export interface RecordedMovement {
  id: string;
  projectId: string;
  kind: RecordMovementInput['kind'];
  fromHolderId: string | null;
  toHolderId: string | null;
  amount: Decimal;
  effectiveAt: Date;
  recordedAt: Date;
  /** Current balances of the holders involved, after the movement. */
  balances: Record<string, Decimal>;
}

function parties(input: RecordMovementInput): { from: string | null; to: string | null } {
  switch (input.kind) {
    case 'issue':
      return { from: null, to: input.holder_id };
    case 'burn':
      return { from: input.holder_id, to: null };
    case 'transfer':
      return { from: input.holder_id, to: input.to_holder_id ?? null };
  }
}

async function assertCanDebit(trx: Db, projectId: string, holderId: string, amount: Decimal, at: Date) {
  const { balanceAt, lowestLater } = await debitHeadroom(trx, projectId, holderId, at);
  if (amount.greaterThan(balanceAt)) {
    throw new RuleViolationError(
      `Holder ${holderId} held ${balanceAt} tokens at ${at.toISOString()}, less than ${amount.toFixed(7)}`,
      { holder_id: holderId, balance_at: balanceAt, requested: amount.toFixed(7) },
    );
  }
  if (lowestLater !== null && amount.greaterThan(lowestLater.balance)) {
    throw new RuleViolationError(
      `Holder ${holderId}'s balance would fall below zero at ${lowestLater.at.toISOString()}, ` +
        `when later movements leave only ${lowestLater.balance} tokens`,
      { holder_id: holderId, balance_at: balanceAt, lowest_later_balance: lowestLater.balance },
    );
  }
}

/** A movement that has passed a write's checks, under its locks, its instant resolved: written at once, or proposed. */
export interface MovementPlan {
  projectId: string;
  kind: RecordMovementInput['kind'];
  from: string | null;
  to: string | null;
  amount: Decimal;
  effectiveAt: Date;
}

/**
 * Refuses (422, naming the limit) an issue that would take the tokens the project has issued
 * past what LP_TOKENS hold. Every balance at every instant, and so every snapshot's Σ, is at
 * most that count, whatever the dates of issues and burns: keeping it within the type keeps them
 * all within it, in the ledger, the calculation and redemptions.
 */
function assertCanIssue(project: ProjectRow, amount: Decimal): void {
  const issued = new Decimal(project.lp_tokens_issued);
  const after = issued.plus(amount);
  const refusal = beyond(
    LP_TOKENS,
    after,
    (limit) =>
      `Issuing ${asText(LP_TOKENS, amount)} tokens would take the LP tokens project ${project.id} has issued to ` +
      `${asText(LP_TOKENS, after)}, past the most a project may issue, ${limit}`,
    { lp_tokens_issued: asText(LP_TOKENS, issued), requested: asText(LP_TOKENS, amount) },
  );
  if (refusal !== undefined) throw refusal;
}

/**
 * A movement's checks inside the caller's transaction: locks the project (shared; an issue
 * exclusively, as it counts the tokens issued) and the holders' balances, checks the books are
 * open, the holders registered, an issue within what a project may issue and a debit covered at
 * that instant and afterwards. The locks hold until the transaction ends.
 */
export async function checkMovement(trx: Db, projectId: string, input: RecordMovementInput, now: Date): Promise<MovementPlan> {
  const effectiveAt = effectiveInstant(
    input.effective_at,
    now,
    'effective_at is in the future; the ledger records what has happened',
  );
  const { from, to } = parties(input);
  const holderIds = [from, to].filter((id): id is string => id !== null);

  const project = input.kind === 'issue' ? await lockProjectForUpdate(trx, projectId) : await lockProjectForLedger(trx, projectId);
  if (project === undefined) throw new NotFoundError('Project', projectId);
  const closedUntil = await latestClosedRecordDate(trx, projectId);
  if (closedUntil !== null && effectiveAt <= closedUntil) {
    throw new RuleViolationError(
      `The books are closed up to ${closedUntil.toISOString()}: a distribution has snapshotted holdings as of then`,
      { closed_until: closedUntil.toISOString(), effective_at: effectiveAt.toISOString() },
    );
  }
  for (const holderId of holderIds) {
    if ((await findUserById(trx, holderId)) === undefined) {
      throw new RuleViolationError(`Holder ${holderId} is not a registered user`, { holder_id: holderId });
    }
  }

  if (input.kind === 'issue') assertCanIssue(project, input.amount);

  await lockBalances(trx, projectId, holderIds);
  if (from !== null) await assertCanDebit(trx, projectId, from, input.amount, effectiveAt);
  return { projectId, kind: input.kind, from, to, amount: input.amount, effectiveAt };
}

/** Writes a movement checkMovement passed, in its transaction, and keeps current balances (and an issue's count of tokens issued) in step. */
export async function writeMovement(trx: Db, actorId: string, plan: MovementPlan): Promise<RecordedMovement> {
  const { projectId, from, to, amount } = plan;
  const row = await insertMovement(trx, {
    projectId,
    kind: plan.kind,
    fromHolderId: from,
    toHolderId: to,
    amount,
    effectiveAt: plan.effectiveAt,
    recordedBy: actorId,
  });
  if (plan.kind === 'issue') await addIssuedTokens(trx, projectId, amount);
  const balances: Record<string, Decimal> = {};
  if (from !== null) balances[from] = new Decimal(await adjustBalance(trx, projectId, from, amount.negated()));
  if (to !== null) balances[to] = new Decimal(await adjustBalance(trx, projectId, to, amount));

  return {
    id: row.id,
    projectId,
    kind: plan.kind,
    fromHolderId: from,
    toHolderId: to,
    amount: new Decimal(row.amount),
    effectiveAt: row.effective_at,
    recordedAt: row.recorded_at,
    balances,
  };
}

/** Checks and writes a movement inside the caller's transaction (checkMovement, then writeMovement). */
export async function applyMovement(
  trx: Db,
  actorId: string,
  projectId: string,
  input: RecordMovementInput,
  now: Date = new Date(),
): Promise<RecordedMovement> {
  return writeMovement(trx, actorId, await checkMovement(trx, projectId, input, now));
}

/** Writes a checked movement with its audit row; the row names its author, the audit row who made it take effect. */
export async function writeAuditedMovement(trx: Db, plan: MovementPlan, by: Authorship): Promise<RecordedMovement> {
  const movement = await writeMovement(trx, by.authorId, plan);
  await recordAdminAction(trx, {
    adminId: actingAdminId(by),
    action: `lp_tokens.${plan.kind}`,
    target: { project_id: plan.projectId, movement_id: movement.id },
    details: {
      from_holder_id: movement.fromHolderId,
      to_holder_id: movement.toHolderId,
      amount: plan.amount.toFixed(7),
      effective_at: movement.effectiveAt.toISOString(),
      ...approvalDetails(by),
    },
  });
  return movement;
}

/**
 * Records an issue, burn or transfer of a project's LP tokens at an instant (now, or backdated)
 * and keeps current balances in step, in one transaction with its audit row. A debit beyond
 * what the holder held at that instant, or one that would overdraw a later movement, is a 422;
 * so is a movement at or before the record date of a distribution that has been calculated.
 */
export async function recordMovement(
  db: Db,
  admin: Caller,
  projectId: string,
  input: RecordMovementInput,
  now: Date = new Date(),
): Promise<RecordedMovement> {
  return db.transaction().execute(async (trx) =>
    writeAuditedMovement(trx, await checkMovement(trx, projectId, input, now), directly(admin)),
  );
}

export const toMovementDto = (movement: RecordedMovement): MovementDto => ({
  id: movement.id,
  project_id: movement.projectId,
  kind: movement.kind,
  from_holder_id: movement.fromHolderId,
  to_holder_id: movement.toHolderId,
  amount: movement.amount.toFixed(7),
  effective_at: movement.effectiveAt.toISOString(),
  recorded_at: movement.recordedAt.toISOString(),
  balances: Object.entries(movement.balances).map(([holderId, balance]) => ({
    holder_id: holderId,
    balance: balance.toFixed(7),
  })),
});

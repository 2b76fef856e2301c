import { dualControlled, type DualControlledWrite } from '../dual-control/dual-controlled';
import { FLOWS } from './flows';
import { ngntsString } from './ngnts';
import { prepareTreasuryTransaction, type TransactionPlan, writeTreasuryTransaction } from './record-transaction';
import { type RecordTreasuryTransactionInput, recordTreasuryTransactionBody } from './schemas';

/**
 * Money credited to the pool from outside the platform with no verified cashflow behind it: an
 * inflow without `cashflow_id`, or a replenishment that names no source wallet. Nothing but the
 * admin's word stands behind it, so under dual control a second admin's approval must. (A
 * cashflow's inflow already had four eyes: recorded by one admin, verified by another.)
 */
export function creditsPoolWithoutCashflow(input: RecordTreasuryTransactionInput): boolean {
  const flow = FLOWS[input.type];
  const fromOutside = flow.from === 'outside' || (flow.from === 'wallet_or_outside' && input.source_wallet === undefined);
  return flow.to === 'pool' && fromOutside && input.cashflow_id === undefined;
}

/** A credit to the pool without a cashflow, under dual control: stored with the pool's address filled in. */
export const poolCredit: DualControlledWrite<RecordTreasuryTransactionInput, TransactionPlan> = {
  body: recordTreasuryTransactionBody,
  prepare: (trx, _projectId, body) => prepareTreasuryTransaction(trx, body),
  proposal: (plan) => {
    if (plan.type !== 'inflow' && plan.type !== 'replenish') throw new Error(`Only credits to the pool are proposed, not a ${plan.type}`);
    return {
      action: `treasury.${plan.type}`,
      projectId: plan.sourceProjectId,
      request: {
        type: plan.type,
        amount_ngnts: ngntsString(plan.amount),
        ...(plan.destinationWallet === null ? {} : { destination_wallet: plan.destinationWallet }),
        ...(plan.sourceProjectId === null ? {} : { source_project_id: plan.sourceProjectId }),
        ...(plan.relatedTxHash === null ? {} : { related_tx_hash: plan.relatedTxHash }),
        ...(plan.metadata === null ? {} : { metadata: plan.metadata }),
      },
    };
  },
  write: (trx, plan, by) => writeTreasuryTransaction(trx, plan, by),
};

export const poolCreditProposals = dualControlled(poolCredit);

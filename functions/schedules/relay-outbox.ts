// PLACEHOLDER for synth on branch i10-infra: replaced by the outbox branch at merge
/** Lets `npm run synth` bundle functions/schedules.ts's entry until the real handler arrives; fails loudly if ever deployed. */
export const handler = async (): Promise<void> => {
  throw new Error('functions/schedules/relay-outbox.ts is a placeholder from branch i10-infra');
};

import type { DistributionEventStatus } from '../db/schema';
import { ConflictError } from '../errors';

/** 409 for a transition the event's status does not allow, naming both. */
export function wrongStatus(action: string, status: DistributionEventStatus, allowed: readonly DistributionEventStatus[]) {
  return new ConflictError(`Cannot ${action} a distribution that is ${status}; it must be ${allowed.join(' or ')}`, {
    current_status: status,
    allowed_statuses: allowed,
  });
}

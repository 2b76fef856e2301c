/** Redemption routes: requests, their approval, reads. */
export const redemptionRoutes = {};

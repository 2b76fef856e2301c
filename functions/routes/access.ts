/** Who may call a route, and the database as a route's one resource: shared by the area tables. */
export const ADMIN = ['admin'] as const;
export const LP = ['lp'] as const;
export const SIGNED_IN = ['admin', 'lp'] as const;
export const DB = ['database'] as const;

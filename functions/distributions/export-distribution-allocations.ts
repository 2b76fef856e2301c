import { allocationsCsvPage } from '../../shared/distributions/queries';
import { httpHandler, text } from '../../shared/http/handler';
import { distributionRoutes } from '../routes/distributions';

/** One page of the payment file; a `Link: <…>; rel="next"` header points at the next one. */
export const handler = httpHandler(distributionRoutes.exportDistributionAllocations, async ({ db, path, query }) => {
  const page = await allocationsCsvPage(db, path.id, query);
  const headers: Record<string, string> = {
    'content-disposition': `attachment; filename="distribution-${path.id}-allocations.csv"`,
  };
  if (page.nextCursor !== null) {
    headers.link = `</api/distributions/${path.id}/allocations.csv?limit=${query.limit}&cursor=${page.nextCursor}>; rel="next"`;
  }
  return text(page.csv, 'text/csv; charset=utf-8', headers);
});

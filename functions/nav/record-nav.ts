import { created, httpHandler } from '../../shared/http/handler';
import { recordNav, toRecordedNavDto } from '../../shared/nav/record-nav';
import { routes } from '../routes';

export const handler = httpHandler(routes.recordNav, async ({ db, caller, path, body }) =>
  created(toRecordedNavDto(await recordNav(db, caller, path.projectId, body))),
);

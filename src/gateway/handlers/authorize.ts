import type { HandlerDeps, Handler } from './context.js';

export const authorize =
  (deps: HandlerDeps): Handler<'Authorize'> =>
  async (_ctx, request) => ({ idTagInfo: await deps.idTags.authorize(request.idTag) });

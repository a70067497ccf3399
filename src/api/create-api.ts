// Builds the operator API without listening (STYLE.md habit 8): the composition root calls
// listen and attaches the OCPP WebSocket upgrade handler to `app.server`, so the API and OCPP
// share one HTTP server and port; tests use `inject`.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { requireBearer } from './bearer-auth.js';
import { registerBillRoutes } from './bill-routes.js';
import { registerCommandRoutes } from './command-routes.js';
import { installErrorHandlers } from './errors.js';
import { registerEvidenceRoutes } from './evidence-routes.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerIdTagRoutes } from './id-tag-routes.js';
import { registerOpenApi } from './openapi.js';
import { registerOperatorRoutes } from './operator-routes.js';
import { registerPileRoutes } from './pile-routes.js';
import { registerTariffRoutes } from './tariff-routes.js';

export type { ApiDeps } from './api-deps.js';

// The largest legitimate body is a pile registration or a command payload, a few KiB.
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

// A child logger's redaction replaces its parent's (pino), so this list covers everything the
// API could log that is secret: the bearer token wherever a request's headers end up.
const REDACT = { paths: ['headers.authorization', '*.headers.authorization'], censor: '[redacted]' };

export async function createApi(deps: ApiDeps): Promise<FastifyInstance> {
  // No bindings: the caller names the component. Typed as fastify's logger interface so that
  // the app is a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = deps.logger.child({}, { redact: REDACT });
  const app = Fastify({
    loggerInstance,
    bodyLimit: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    https: deps.https ?? null,
  });
  installErrorHandlers(app);
  await registerOpenApi(app);
  registerHealthRoutes(app, deps.health);
  await app.register(
    async (v1) => {
      requireBearer(v1, deps.tokens);
      registerPileRoutes(v1, deps);
      registerEvidenceRoutes(v1, deps);
      registerIdTagRoutes(v1, deps.idTags);
      registerCommandRoutes(v1, deps.commands);
      registerBillRoutes(v1, deps);
      registerTariffRoutes(v1, deps.tariffs);
      registerOperatorRoutes(v1, deps.operators);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

// The OpenAPI document is generated from the route schemas, so it cannot drift from what the
// routes validate. Must be registered before the routes: @fastify/swagger collects them as they
// are added.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { BEARER_SCHEME } from './bearer-auth.js';

const OPENAPI_PATH = '/api/v1/openapi.json';
const DOCS_PREFIX = '/api/v1/docs';

const TAGS = {
  health: 'Liveness and readiness, for load balancers and orchestrators',
  piles: 'Registered charging piles and their connection status',
  evidence: 'What a pile said: journal frames, transactions, protocol anomalies',
  idTags: 'Cards, app users and station passwords that piles present',
  commands: 'Operator → pile OCPP commands',
  tariffs: 'Time-of-use tariff versions and the tariff each station uses',
  operators: 'Operators, their billing thresholds, and the stations they run',
  bills: 'Bills of charging sessions: every immutable version, its lines and its anomalies with evidence',
  reports: 'Reports over a period, such as abnormal bills by code combination',
} as const;

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'pilegate operator API',
        version: '1',
        description: 'Instants are RFC 3339 strings in UTC. Errors have one shape, ApiError.',
      },
      tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
      components: { securitySchemes: { [BEARER_SCHEME]: { type: 'http', scheme: 'bearer' } } },
      // Every operation needs the token unless its schema says `security: []`.
      security: [{ [BEARER_SCHEME]: [] }],
    },
    // Shared schemas become components named by their $id instead of def-0, def-1, …
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  // Assets come from the package in node_modules: the UI works without internet access.
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, () => app.swagger());
}

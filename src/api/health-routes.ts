// Liveness and readiness. /healthz says the process answers HTTP; /readyz says the adapters it
// needs answer too, so a load balancer stops sending operators to a node that cannot serve them.
import type { FastifyInstance } from 'fastify';
import type { HealthProbe } from '../app/ports.js';

// Orchestrators give a readiness probe about a second (Kubernetes' default timeoutSeconds is 1);
// a hung adapter must turn into "not ready", not into a hung /readyz.
export const PROBE_TIMEOUT_MS = 1_000;

interface ProbeReport {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string | null;
}

async function runProbe(probe: HealthProbe, log: FastifyInstance['log']): Promise<ProbeReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeReport>((resolve) => {
    timer = setTimeout(
      () => resolve({ name: probe.name, ok: false, detail: `no answer within ${PROBE_TIMEOUT_MS} ms` }),
      PROBE_TIMEOUT_MS,
    );
  });
  const check = probe.check().then(
    ({ ok, detail }) => ({ name: probe.name, ok, detail: detail ?? null }),
    (err: unknown) => {
      // /readyz is unauthenticated: the driver's message (hosts, users) stays in the log.
      log.warn({ err, probe: probe.name }, 'health probe threw');
      return { name: probe.name, ok: false, detail: 'the check failed; see the server log' };
    },
  );
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const publicRoute = { security: [], tags: ['health'] };

const readiness = {
  type: 'object',
  required: ['status', 'probes'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    probes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'ok', 'detail'],
        properties: { name: { type: 'string' }, ok: { type: 'boolean' }, detail: { type: ['string', 'null'] } },
      },
    },
  },
} as const;

export function registerHealthRoutes(app: FastifyInstance, health: readonly HealthProbe[]): void {
  // Probes poll every few seconds: their request logs would drown everything else.
  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        ...publicRoute,
        summary: 'Liveness: the process answers HTTP',
        response: {
          200: {
            description: 'alive',
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
        },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        ...publicRoute,
        summary: 'Readiness: every adapter (database, Redis when configured) answers',
        response: {
          200: { ...readiness, description: 'every probe answered ok' },
          503: { ...readiness, description: 'a probe failed or did not answer in time' },
        },
      },
    },
    async (request, reply) => {
      const probes = await Promise.all(health.map((p) => runProbe(p, request.log)));
      const ready = probes.every((p) => p.ok);
      for (const p of probes.filter((p) => !p.ok)) request.log.warn({ probe: p.name, detail: p.detail }, 'not ready');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', probes });
    },
  );
}

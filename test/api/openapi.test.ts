import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './api-harness.js';

interface Operation {
  readonly summary?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly unknown[];
}

describe('operator API: OpenAPI document', () => {
  let h: ApiHarness;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown> };
    security: readonly Record<string, unknown>[];
  };
  beforeAll(async () => {
    h = await startApi();
    const res = await h.app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => h.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );

  it('when fetched, then it is OpenAPI 3 and lists every route', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(
      operations()
        .map((o) => o.route)
        .sort(),
    ).toEqual(
      [
        'GET /healthz',
        'GET /readyz',
        'POST /api/v1/piles',
        'GET /api/v1/piles',
        'GET /api/v1/piles/{pileId}',
        'PUT /api/v1/piles/{pileId}/password',
        'DELETE /api/v1/piles/{pileId}',
        'GET /api/v1/piles/{pileId}/journal',
        'GET /api/v1/piles/{pileId}/transactions',
        'GET /api/v1/piles/{pileId}/anomalies',
        'PUT /api/v1/id-tags/{idTag}',
        'GET /api/v1/id-tags',
        'GET /api/v1/id-tags/{idTag}',
        'DELETE /api/v1/id-tags/{idTag}',
        'POST /api/v1/piles/{pileId}/commands',
        'POST /api/v1/tariffs/{tariffId}/versions',
        'GET /api/v1/tariffs/{tariffId}/versions',
        'GET /api/v1/bills',
        'GET /api/v1/bills/{billNo}',
        'GET /api/v1/reports/abnormal-bills',
        'GET /api/v1/tariffs',
        'PUT /api/v1/stations/{stationId}/tariff',
        'GET /api/v1/stations/{stationId}/tariff',
        'PUT /api/v1/operators/{operatorId}',
        'GET /api/v1/operators/{operatorId}',
        'GET /api/v1/operators',
        'PUT /api/v1/stations/{stationId}/operator',
        'GET /api/v1/stations/{stationId}/operator',
      ].sort(),
    );
  });

  it('when read, then every operation has a summary and a tag', () => {
    for (const { route, op } of operations()) {
      expect(op.summary, route).toBeTruthy();
      expect(op.tags?.length, route).toBeGreaterThan(0);
    }
  });

  it('when read, then bearer auth is required everywhere except the probes', () => {
    expect(Object.values(doc.components.securitySchemes)).toEqual([{ type: 'http', scheme: 'bearer' }]);
    expect(doc.security).toHaveLength(1);
    const open = operations()
      .filter(({ op }) => op.security?.length === 0)
      .map((o) => o.route);
    expect(open.sort()).toEqual(['GET /healthz', 'GET /readyz']);
  });

  it('when the docs page is opened, then Swagger UI is served from local assets', async () => {
    const page = await h.app.inject({ url: '/api/v1/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui.css');
    const css = await h.app.inject({ url: '/api/v1/docs/static/swagger-ui.css' });
    expect(css.statusCode).toBe(200);
    // The UI loads its document from here: the same one as /api/v1/openapi.json.
    const shown = await h.app.inject({ url: '/api/v1/docs/json' });
    expect(shown.json().paths).toEqual(doc.paths);
  });
});

// Piles as the operator API shows them: schemas and the mapping from the use cases' views.
import type { PileView } from '../app/pile-registry.js';
import type { PileStatus } from '../app/pile-status.js';
import { DIALECTS } from '../app/ports.js';
import { instantSchema, nullableInstantSchema, toIso, toIsoOrNull } from './wire-time.js';

export const pileIdParams = {
  type: 'object',
  required: ['pileId'],
  properties: { pileId: { type: 'string', description: 'chargeBoxIdentity, the last segment of the OCPP URL' } },
} as const;

export const connectorSchema = {
  type: 'object',
  required: ['connectorId', 'maxPowerW'],
  properties: {
    connectorId: { type: 'integer', description: '1, 2, … as the pile numbers them' },
    maxPowerW: { type: 'integer', description: 'bounds how fast a register may plausibly advance' },
  },
} as const;

const pileProperties = {
  id: { type: 'string' },
  stationId: { type: 'string' },
  dialect: { type: 'string', enum: DIALECTS },
  connectors: { type: 'array', items: connectorSchema },
  registeredAt: instantSchema,
  boot: {
    type: ['object', 'null'],
    description: 'from the last BootNotification; null until the first',
    required: ['vendor', 'model', 'serial', 'firmware', 'bootedAt'],
    properties: {
      vendor: { type: 'string' },
      model: { type: 'string' },
      serial: { type: ['string', 'null'] },
      firmware: { type: ['string', 'null'] },
      bootedAt: instantSchema,
    },
  },
} as const;
const pileRequired = ['id', 'stationId', 'dialect', 'connectors', 'registeredAt', 'boot'];

const statusSchema = {
  type: 'object',
  required: ['online', 'connectedAt', 'lastSeenAt', 'nodeId', 'offlineIntervals'],
  properties: {
    online: { type: 'boolean' },
    connectedAt: nullableInstantSchema,
    lastSeenAt: nullableInstantSchema,
    nodeId: { type: ['string', 'null'], description: 'the gateway node holding the socket' },
    offlineIntervals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['startedAt', 'endedAt', 'cause'],
        properties: {
          startedAt: instantSchema,
          endedAt: { ...nullableInstantSchema, description: 'null while still offline' },
          cause: { type: 'string', description: 'disconnect or silence' },
        },
      },
    },
  },
} as const;

export const pileSchemas = [
  { $id: 'Pile', type: 'object', required: pileRequired, properties: pileProperties },
  {
    $id: 'PileSummary',
    type: 'object',
    required: [...pileRequired, 'online'],
    properties: { ...pileProperties, online: { type: 'boolean', description: 'connected to a gateway node now' } },
  },
  {
    $id: 'PileDetail',
    type: 'object',
    required: [...pileRequired, 'status'],
    properties: { ...pileProperties, status: statusSchema },
  },
];

export function pileToWire(pile: PileView) {
  return {
    ...pile,
    registeredAt: toIso(pile.registeredAt),
    boot: pile.boot && { ...pile.boot, bootedAt: toIso(pile.boot.bootedAt) },
  };
}

export function statusToWire(s: PileStatus) {
  return {
    online: s.online,
    connectedAt: toIsoOrNull(s.connectedAt),
    lastSeenAt: toIsoOrNull(s.lastSeenAt),
    nodeId: s.nodeId,
    offlineIntervals: s.offlineIntervals.map((i) => ({
      startedAt: toIso(i.startedAt),
      endedAt: toIsoOrNull(i.endedAt),
      cause: i.cause,
    })),
  };
}

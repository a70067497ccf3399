// idTags that piles present in Authorize and StartTransaction; the answer is their OCPP 1.6
// IdTagInfo.
import type { FastifyInstance } from 'fastify';
import type { IdTagRegistry } from '../app/id-tag-registry.js';
import type { IdTag } from '../app/ports.js';
import { replyError, replyFailure, withErrors } from './errors.js';
import { listOf, ref } from './schema-refs.js';
import { fromIso, nullableInstantSchema, toIsoOrNull } from './wire-time.js';

const idTagParams = {
  type: 'object',
  required: ['idTag'],
  properties: { idTag: { type: 'string', description: 'OCPP IdToken: 1 to 20 characters' } },
} as const;

const idTagSchema = {
  $id: 'IdTag',
  type: 'object',
  required: ['idTag', 'status', 'expiresAt', 'parentIdTag', 'label'],
  properties: {
    idTag: { type: 'string' },
    status: { type: 'string', enum: ['Accepted', 'Blocked'] },
    expiresAt: { ...nullableInstantSchema, description: 'after this instant the tag is Expired; null = never' },
    parentIdTag: { type: ['string', 'null'], description: 'group tag: tags with the same parent count as one holder' },
    label: { type: ['string', 'null'], description: "the operator's note: holder, fleet, card number" },
  },
} as const;

interface PutIdTagBody {
  readonly status: IdTag['status'];
  readonly expiresAt?: string | null;
  readonly parentIdTag?: string | null;
  readonly label?: string | null;
}

const toWire = (tag: IdTag) => ({ ...tag, expiresAt: toIsoOrNull(tag.expiresAt) });

type IdTagParams = { Params: { idTag: string } };

export function registerIdTagRoutes(app: FastifyInstance, idTags: IdTagRegistry): void {
  app.addSchema(idTagSchema);
  const tags = ['idTags'];
  const notRegistered = (idTag: string) => `idTag ${idTag} is not registered`;

  app.put<IdTagParams & { Body: PutIdTagBody }>(
    '/id-tags/:idTag',
    {
      schema: {
        tags,
        summary: 'Create or replace an idTag; omitted optional fields become null',
        params: idTagParams,
        body: {
          type: 'object',
          required: ['status'],
          properties: {
            status: idTagSchema.properties.status,
            expiresAt: idTagSchema.properties.expiresAt,
            parentIdTag: idTagSchema.properties.parentIdTag,
            label: idTagSchema.properties.label,
          },
        },
        response: withErrors({ 200: { description: 'stored', ...ref('IdTag') } }, 'invalid-request', 'unauthorized'),
      },
    },
    async (request, reply) => {
      const { status, expiresAt, parentIdTag, label } = request.body;
      const result = await idTags.put({
        idTag: request.params.idTag,
        status,
        expiresAt: expiresAt == null ? null : fromIso(expiresAt),
        parentIdTag: parentIdTag ?? null,
        label: label ?? null,
      });
      return result.ok ? toWire(result.value) : replyFailure(reply, result);
    },
  );

  app.get(
    '/id-tags',
    {
      schema: {
        tags,
        summary: 'List registered idTags',
        response: withErrors({ 200: listOf('idTags', 'IdTag', 'every registered idTag') }, 'unauthorized'),
      },
    },
    async () => ({ idTags: (await idTags.list()).map(toWire) }),
  );

  app.get<IdTagParams>(
    '/id-tags/:idTag',
    {
      schema: {
        tags,
        summary: 'One idTag',
        params: idTagParams,
        response: withErrors({ 200: { description: 'the idTag', ...ref('IdTag') } }, 'unauthorized', 'not-found'),
      },
    },
    async (request, reply) => {
      const { idTag } = request.params;
      const tag = await idTags.get(idTag);
      return tag === undefined ? replyError(reply, 'not-found', notRegistered(idTag)) : toWire(tag);
    },
  );

  app.delete<IdTagParams>(
    '/id-tags/:idTag',
    {
      schema: {
        tags,
        summary: 'Remove an idTag: piles asking for it get Invalid',
        params: idTagParams,
        response: withErrors({ 204: { type: 'null', description: 'removed' } }, 'unauthorized', 'not-found'),
      },
    },
    async (request, reply) => {
      const { idTag } = request.params;
      if (!(await idTags.remove(idTag))) return replyError(reply, 'not-found', notRegistered(idTag));
      return reply.code(204).send();
    },
  );
}

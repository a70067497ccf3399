import type { Kysely, Selectable } from 'kysely';
import type { IdTag, IdTagStore } from '../app/ports.js';
import { sqlDialectOf } from './dialect.js';
import { guard } from './errors.js';
import type { Database, IdTagsTable } from './schema.js';

function toIdTag(r: Selectable<IdTagsTable>): IdTag {
  return {
    idTag: r.id_tag,
    status: r.status as IdTag['status'],
    expiresAt: r.expires_at,
    parentIdTag: r.parent_id_tag,
    label: r.label,
  };
}

export function createKyselyIdTagStore(db: Kysely<Database>): IdTagStore {
  const dialect = sqlDialectOf(db);
  return {
    upsert: (tag) =>
      guard('idTags.upsert', async () => {
        const values = {
          status: tag.status,
          expires_at: tag.expiresAt,
          parent_id_tag: tag.parentIdTag,
          label: tag.label,
        };
        const insert = db.insertInto('id_tags').values({ id_tag: tag.idTag, ...values });
        await (
          dialect === 'mysql'
            ? insert.onDuplicateKeyUpdate(values)
            : insert.onConflict((oc) => oc.column('id_tag').doUpdateSet(values))
        ).execute();
      }),
    get: (idTag) =>
      guard('idTags.get', async () => {
        const row = await db.selectFrom('id_tags').selectAll().where('id_tag', '=', idTag).executeTakeFirst();
        return row === undefined ? undefined : toIdTag(row);
      }),
    list: () =>
      guard('idTags.list', async () => {
        const rows = await db.selectFrom('id_tags').selectAll().orderBy('id_tag').execute();
        return rows.map(toIdTag);
      }),
    remove: (idTag) =>
      guard('idTags.remove', async () => {
        const result = await db.deleteFrom('id_tags').where('id_tag', '=', idTag).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
  };
}

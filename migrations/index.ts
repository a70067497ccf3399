// The migration list, in order. Listed explicitly (not read from the folder) so that the same
// code runs from TypeScript sources and from the compiled dist/.
import type { Migration } from 'kysely';
import * as gateway from './0001-gateway.js';
import * as journalReplies from './0002-journal-replies.js';
import * as tariffs from './0003-tariffs.js';
import * as bills from './0004-bills.js';
import * as operators from './0005-operators.js';
import * as txMessagesByTransaction from './0006-tx-messages-by-transaction.js';
import * as billVersionsByIdTag from './0007-bill-versions-by-id-tag.js';

export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-gateway': gateway,
  '0002-journal-replies': journalReplies,
  '0003-tariffs': tariffs,
  '0004-bills': bills,
  '0005-operators': operators,
  '0006-tx-messages-by-transaction': txMessagesByTransaction,
  '0007-bill-versions-by-id-tag': billVersionsByIdTag,
});

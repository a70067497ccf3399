// The index of tx_messages by (pile, transaction id) goes: no query reads it (the session
// tracker reads a pile's messages by time), and every stored transaction message paid for it,
// about 8% of the database's CPU under the gateway benchmark's MeterValues load. Frozen in time:
// never edit after release; add a new migration instead.
import { type Kysely, MysqlAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // MySQL names the table of an index to drop; SQLite refuses the clause.
  const drop = db.schema.dropIndex('tx_messages_pile_tx');
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('tx_messages') : drop).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tx_messages_pile_tx').on('tx_messages').columns(['pile_id', 'transaction_id']).execute();
}

// The reference point of the gateway benchmark: ocpp-rpc in the same strict mode pilegate uses,
// answering the benchmark's calls straight from memory. Whatever pilegate costs on top of this
// (auth lookups, the journal, the session tracker) is what the benchmark's ratio measures.
//
// Usage: node dist/bench/gateway/bare-server.js --port 21000
// Prints the same ready line as pilegate's CLI so the orchestrator waits on both the same way.
import { parseArgs } from 'node:util';
import { RPCServer, type RPCClient } from 'ocpp-rpc';

const HEARTBEAT_INTERVAL_S = 300;

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) throw new Error('bare-server: --port <n> is required');

const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });

// Security profile 1 asks for a Basic-auth password; any password will do here, because checking
// it is part of what pilegate is measured on, not the baseline.
server.auth((accept, reject, handshake) => {
  if (handshake.password === undefined) reject(401, 'Basic auth required');
  else accept({});
});

let nextTransactionId = 1;

server.on('client', (client: RPCClient) => {
  client.handle('BootNotification', async () => ({
    status: 'Accepted',
    currentTime: new Date().toISOString(),
    interval: HEARTBEAT_INTERVAL_S,
  }));
  client.handle('Heartbeat', async () => ({ currentTime: new Date().toISOString() }));
  client.handle('MeterValues', async () => ({}));
  // The load generator opens one transaction per closed-loop pile, as it does against pilegate.
  client.handle('StartTransaction', async () => ({
    transactionId: nextTransactionId++,
    idTagInfo: { status: 'Accepted' },
  }));
});

await server.listen(port, '127.0.0.1');
console.log(`bare ocpp-rpc server ready. OCPP endpoint: ws://127.0.0.1:${port}/ocpp/{pileId}`);

const stop = (): void => {
  void server.close({ force: true }).finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

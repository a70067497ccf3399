// The load generator's piles: raw `ws` sockets speaking just enough OCPP-J. They must cost far
// less than the server they load, so there is no RPC layer: one call in flight per pile (as a
// real pile behaves), frames built by concatenation, replies recognised by their type byte.
import WebSocket from 'ws';

export interface Pile {
  readonly index: number;
  readonly ws: WebSocket;
  seq: number;
  /** Set while a call is in flight; `ok` is false for a CALLERROR or a dropped socket. */
  onReply: ((ok: boolean, frame: Buffer) => void) | null;
  closed: boolean;
}

export interface PileFleet {
  readonly baseUrl: string;
  readonly password: string;
  /** Sockets that closed without the generator asking, across the whole run. */
  unexpectedCloses: number;
}

const CALL = 0x32; // '2' in `[2,...`: a CALL from the server
const CALLRESULT = 0x33; // '3' in `[3,...`

/** Every benchmark pile's Basic-auth password (pilegate asks for 16 to 40 characters). */
export const PILE_PASSWORD = 'bench-password-0001';

export function pileId(index: number): string {
  return `BENCH${String(index).padStart(6, '0')}`;
}

// An all-zero key makes ws skip the XOR pass over every outgoing frame (ws documents
// `generateMask` for exactly this). A server cannot tell; the generator saves CPU on its core.
const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

export function call(pile: Pile, action: string, payloadJson: string, onReply: Pile['onReply']): void {
  pile.seq += 1;
  pile.onReply = onReply;
  pile.ws.send(`[2,"${pile.seq}","${action}",${payloadJson}]`);
}

/** One call, answered within `timeoutMs` or the socket is dropped (a pile would reconnect). */
export function callAsync(pile: Pile, action: string, payloadJson: string, timeoutMs = 15_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pile.closed = true;
      pile.ws.terminate(); // its 'close' fails the call below
    }, timeoutMs);
    call(pile, action, payloadJson, (ok, frame) => {
      clearTimeout(timer);
      if (ok) resolve(frame);
      else reject(new Error(`${action} failed: ${frame.toString().slice(0, 200)}`));
    });
  });
}

// Piles must answer what the server asks (pilegate may configure a pile after its boot);
// NotSupported is the honest answer of a pile that implements nothing optional (OCPP-J §4.2.3).
function answerServerCall(ws: WebSocket, frame: Buffer): void {
  const [, messageId] = JSON.parse(frame.toString()) as [number, string];
  ws.send(JSON.stringify([4, messageId, 'NotSupported', '', {}]));
}

function openSocket(fleet: PileFleet, index: number, timeoutMs: number): Promise<Pile> {
  const id = pileId(index);
  const ws = new WebSocket(`${fleet.baseUrl}${id}`, 'ocpp1.6', {
    headers: { Authorization: `Basic ${Buffer.from(`${id}:${fleet.password}`).toString('base64')}` },
    perMessageDeflate: false,
    skipUTF8Validation: true,
    handshakeTimeout: timeoutMs,
    generateMask: zeroMask,
  });
  const pile: Pile = { index, ws, seq: 0, onReply: null, closed: false };
  let opened = false;
  return new Promise((resolve, reject) => {
    ws.on('message', (frame: Buffer) => {
      if (frame[1] === CALL) return answerServerCall(ws, frame);
      const onReply = pile.onReply;
      pile.onReply = null;
      onReply?.(frame[1] === CALLRESULT, frame);
    });
    ws.once('open', () => {
      opened = true;
      resolve(pile);
    });
    ws.once('error', reject); // before 'open' only matters: after it, 'close' follows anyway
    ws.once('close', () => {
      if (opened && !pile.closed) fleet.unexpectedCloses += 1;
      pile.closed = true;
      const onReply = pile.onReply;
      pile.onReply = null;
      onReply?.(false, Buffer.from('socket closed'));
      reject(new Error('closed during handshake'));
    });
    ws.on('error', () => {}); // an error after 'open' is reported through 'close'
  });
}

/** A pile introduces itself once per connection, as a real one does, before any measurement. */
async function connectAndBoot(fleet: PileFleet, index: number, timeoutMs: number): Promise<Pile> {
  const pile = await openSocket(fleet, index, timeoutMs);
  try {
    await callAsync(pile, 'BootNotification', '{"chargePointVendor":"Bench","chargePointModel":"Load"}');
    return pile;
  } catch (err) {
    closePile(pile);
    throw err;
  }
}

export interface ConnectOptions {
  readonly from: number;
  readonly to: number; // inclusive
  readonly concurrency: number;
  readonly retries: number;
  readonly deadline: number; // Date.now() after which no new handshake starts
}

/** Connects piles from..to with a bounded number of handshakes in flight; failures are counted. */
export async function connectPiles(
  fleet: PileFleet,
  o: ConnectOptions,
): Promise<{ piles: Pile[]; failed: number; lastError?: string }> {
  const piles: Pile[] = [];
  let next = o.from;
  let failed = 0;
  let lastError: string | undefined;
  const worker = async (): Promise<void> => {
    while (next <= o.to && Date.now() < o.deadline) {
      const index = next++;
      for (let attempt = 0; ; attempt++) {
        try {
          piles.push(await connectAndBoot(fleet, index, 15_000));
          break;
        } catch (err) {
          lastError = err instanceof Error ? err.message : String(err);
          if (attempt >= o.retries || Date.now() >= o.deadline) {
            failed += 1;
            break;
          }
          await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  failed += Math.max(0, o.to - next + 1); // never attempted: the deadline passed
  piles.sort((a, b) => a.index - b.index);
  return { piles, failed, lastError };
}

export function closePile(pile: Pile): void {
  pile.closed = true;
  pile.ws.close();
}

// Bad input from a pile: the right CALLERROR or close code, journaled, and the gateway goes on.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, connectRaw, eventually, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

forEachDialect('gateway: bad input', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ stores: ctx.stores(), env: { MAX_FRAME_BYTES: '4096', MAX_BAD_FRAMES: '3' } });
    for (const id of ['BAD-1', 'BAD-2', 'BAD-3', 'BAD-4', 'BAD-5']) await gw.addPile(id);
  });
  afterAll(() => gw.close());

  const inboundErrors = async (pileId: string) =>
    (await gw.stores.journal.frames({ pileId })).filter((f) => f.direction === 'in').map((f) => [f.raw, f.error]);

  it('when frames are malformed, then each gets its CALLERROR, is journaled with the reason, and the pile stays connected', async () => {
    const { ws, received } = await connectRaw(gw, 'BAD-1');
    const send = (frame: string) => ws.send(frame);
    send('this is not json');
    send('[7,"m2","Heartbeat",{}]');
    send('[2,"m3","BootNotification",{"chargePointVendor":"Robinson"}]');
    send('[2,"m4","TeleportCar",{}]');
    send('[2,"m5","Reset",{"type":"Hard"}]');
    send(
      '[2,"m6","StartTransaction",{"connectorId":1,"idTag":"THIS-ID-TAG-IS-FAR-TOO-LONG","meterStart":1,"timestamp":"2019-01-01T00:00:00Z"}]',
    );
    send('[2,"m7","Heartbeat",{}]');
    await eventually(() => expect(received).toHaveLength(7));
    // Call-level codes follow the OCPP-J 1.6 errata (§5: FormationViolation,
    // OccurrenceConstraintViolation). 1.6 defines no code for a frame that is not an OCPP-J
    // message at all; ocpp-rpc answers those with the OCPP-J 2.0.1 codes, id "-1".
    expect(received.map((r) => (r as unknown[]).slice(0, 3))).toEqual([
      [4, '-1', 'RpcFrameworkError'],
      [4, '-1', 'MessageTypeNotSupported'],
      [4, 'm3', 'OccurrenceConstraintViolation'],
      [4, 'm4', 'NotImplemented'],
      [4, 'm5', 'NotImplemented'],
      [4, 'm6', 'FormationViolation'],
      [3, 'm7', expect.objectContaining({ currentTime: expect.any(String) })],
    ]);
    ws.close();
    await gw.flushJournal();
    const errors = await inboundErrors('BAD-1');
    expect(errors).toHaveLength(7);
    expect(errors[0]).toEqual(['this is not json', expect.stringContaining('JSON')]);
    expect(errors[1]![1]).toContain('MessageTypeNotSupported');
    expect(errors[2]![1]).toContain('chargePointModel');
    expect(errors[5]![1]).toContain('idTag');
    expect(errors[6]![1]).toBeNull();
    // Of the refused calls only the StartTransaction carried a transaction's data (code 1 evidence).
    const refusals = await gw.stores.journal.anomalies({ pileId: 'BAD-1', kinds: ['tx-message-refused'] });
    expect(refusals.map((a) => JSON.parse(a.detail))).toEqual([
      { action: 'StartTransaction', reason: expect.stringContaining('idTag'), connectorId: 1, transactionId: null },
    ]);
    const outbound = (await gw.stores.journal.frames({ pileId: 'BAD-1' })).filter((f) => f.direction === 'out');
    expect(outbound.map((f) => f.messageType)).toEqual([4, 4, 4, 4, 4, 4, 3]);
  });

  it('when transaction messages break the schema in a known way, then they are answered normally and flagged', async () => {
    const { ws, received } = await connectRaw(gw, 'BAD-2');
    ws.send(
      '[2,"s1","StartTransaction",{"connectorId":"1","idTag":"X","meterStart":"1234","timestamp":"2019-11-12T00:00:00Z"}]',
    );
    await eventually(() => expect(received).toHaveLength(1));
    const [, , start] = received[0] as [number, string, { transactionId: number }];
    ws.send(
      `[2,"s2","MeterValues",{"connectorId":1,"transactionId":${start.transactionId},"meterValue":{"timestamp":"2019-11-12T00:10:00Z","sampledValue":{"value":2234}}}]`,
    );
    ws.send(
      `[2,"s3","StopTransaction",{"transactionId":"${start.transactionId}","meterStop":3000,"timestamp":"2019-11-12T00:20:00Z","transactionData":{"timestamp":"2019-11-12T00:20:00Z","sampledValue":[{"value":3000}]}}]`,
    );
    await eventually(() => expect(received).toHaveLength(3));
    expect(received.map((r) => (r as unknown[])[0])).toEqual([3, 3, 3]);
    ws.close();
    await gw.flushJournal();
    const meter = (await gw.stores.journal.txMessages({ pileId: 'BAD-2' })).find((m) => m.kind === 'meter')!;
    expect(JSON.parse(meter.payload).meterValue).toEqual([
      { timestamp: '2019-11-12T00:10:00Z', sampledValue: [{ value: '2234' }] },
    ]);
    const kinds = (await gw.stores.journal.anomalies({ pileId: 'BAD-2' })).map((a) => a.kind).sort();
    expect(kinds).toEqual([
      'quirk:integer-as-string',
      'quirk:integer-as-string',
      'quirk:meter-value-object',
      'quirk:meter-value-object',
      'quirk:sampled-value-number',
      'quirk:sampled-value-number',
      'quirk:sampled-value-object',
    ]);
  });

  it('when DataTransfer carries another vendor, an unknown message or unreadable data, then the status says so', async () => {
    const pile = await connectPile(gw, 'BAD-3');
    const transfer = (vendorId: string, messageId: string, data: string) =>
      pile.call('DataTransfer', { vendorId, messageId, data });
    expect(await transfer('Acme', 'MeterHeartbeat', '{}')).toEqual({ status: 'UnknownVendorId' });
    expect(await transfer('Robinson', 'Teleport', '{}')).toEqual({ status: 'UnknownMessageId' });
    expect(await transfer('Robinson', 'MeterHeartbeat', 'garbage')).toEqual({ status: 'Rejected' });
    // A bill is a transaction message: accepted whatever it holds, so the pile stops resending it.
    expect(await transfer('Robinson', 'DeviceBill', '{"deviceBillNo":42}')).toEqual({ status: 'Accepted' });
    await pile.close();
    await gw.flushJournal();
    const kinds = (await gw.stores.journal.anomalies({ pileId: 'BAD-3' })).map((a) => a.kind);
    expect(kinds).toEqual(['robinson-not-json', 'robinson-invalid']);
    const bill = (await gw.stores.journal.txMessages({ pileId: 'BAD-3' })).find((m) => m.kind === 'device-bill');
    expect(JSON.parse(bill!.payload)).toEqual({ unreadable: '{"deviceBillNo":42}' });
  });

  it('when a frame is larger than MAX_FRAME_BYTES, then the socket is closed with 1009 and the drop journaled', async () => {
    const { ws, closed } = await connectRaw(gw, 'BAD-4');
    ws.send(`[2,"big","Heartbeat",{"pad":"${'x'.repeat(5000)}"}]`);
    expect((await closed).code).toBe(1009);
    await gw.flushJournal();
    await eventually(async () => {
      const frames = await gw.stores.journal.frames({ pileId: 'BAD-4' });
      expect(frames.map((f) => f.error)).toEqual([expect.stringContaining('Max payload size exceeded')]);
    });
  });

  it('when a pile keeps sending garbage, then it is disconnected after MAX_BAD_FRAMES', async () => {
    const { ws, received, closed } = await connectRaw(gw, 'BAD-5');
    for (let i = 0; i < 6; i += 1) ws.send(`garbage ${i}`);
    expect((await closed).code).toBe(1002);
    expect(received.length).toBe(3);
    const pile = await connectPile(gw, 'BAD-5');
    expect(await pile.call('Heartbeat', {})).toHaveProperty('currentTime');
    await pile.close();
  });
});

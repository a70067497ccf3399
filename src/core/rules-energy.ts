// Code 4: energy that cannot be true by itself (negative, beyond the connector's power or the
// session cap, or resting on a register that read 0, went backwards or jumped). Code 11: energy
// that left the meter but is on no bill, between two sessions or inside one.
import {
  anomaly,
  maxEnergyWh,
  onePerRule,
  sessionJournalIds,
  type Anomaly,
  type Rule,
  type SessionFacts,
} from './anomaly.js';
import type { BillingParams } from './billing-params.js';
import type { Dec } from './decimal.js';
import type { Session } from './session-fold.js';

/** The session's length for the power check; an open session's runs to its last sample. */
export const activeMs = (session: Session) =>
  (session.stopMs ?? Math.max(session.startMs, ...session.samples.map((s) => s.atMs))) - session.startMs;

const limits = new WeakMap<SessionFacts, { readonly params: BillingParams; readonly limitWh: Dec }>();

/** The most energy the session's connector could deliver over the session (worked out once). */
export function sessionLimitWh(facts: SessionFacts, params: BillingParams): Dec {
  const known = limits.get(facts);
  if (known?.params === params) return known.limitWh;
  const limitWh = maxEnergyWh(facts, params, activeMs(facts.session));
  limits.set(facts, { params, limitWh });
  return limitWh;
}

/** Whether `wh` is more than the connector could deliver, or more than one session may take. */
export const isImplausible = (facts: SessionFacts, params: BillingParams, wh: Dec) =>
  wh.isNegative() || wh.gt(sessionLimitWh(facts, params)) || wh.gt(params.maxSessionWh);

export const energyAnomaly: Rule = (facts, params) => {
  const { session, energy, timeline } = facts;
  const found: Anomaly[] = [];
  const ids = () => sessionJournalIds(session);
  const limit = sessionLimitWh(facts, params);
  const figures: [string, Dec | null][] = [
    ['billed', energy.energyWh],
    ['device-registers', energy.deviceRegistersWh],
    ['device-total', energy.deviceTotalWh],
  ];
  for (const [figure, wh] of figures) {
    if (wh === null) continue;
    const values = () => ({
      figure,
      energyWh: wh.toString(),
      limitWh: limit.toString(),
      capWh: params.maxSessionWh.toString(),
    });
    if (wh.isNegative()) found.push(anomaly(4, 'negative-energy', ids(), values()));
    else if (wh.gt(params.maxSessionWh))
      found.push(anomaly(4, 'above-session-cap', ids(), values(), `${params.maxSessionWh} Wh`));
    else if (wh.gt(limit))
      found.push(
        anomaly(
          4,
          'above-max-power',
          ids(),
          values(),
          `${facts.maxPowerW} W × (1 + ${params.powerMargin}) + ${params.slackWh} Wh`,
        ),
      );
  }
  const toMs = session.stopMs ?? Number.MAX_SAFE_INTEGER;
  const own = new Set(timeline.rejected.length > 0 ? ids() : []);
  for (const { reading, reason } of timeline.rejected) {
    const inSession = reading.atMs >= session.startMs && reading.atMs <= toMs;
    if (reason === 'duplicate' || !(inSession || own.has(reading.journalId))) continue;
    found.push(
      anomaly(4, `register-${reason}`, [reading.journalId], {
        atMs: reading.atMs,
        registerWh: reading.registerWh.toString(),
      }),
    );
  }
  for (const d of timeline.discontinuities) {
    if (d.after.atMs < session.startMs || d.after.atMs > toMs) continue;
    found.push(
      anomaly(4, 'register-discontinuity', [d.before.journalId, d.after.journalId], { deltaWh: d.deltaWh.toString() }),
    );
  }
  return onePerRule(found);
};

/** The register a session began and ended at: the pile's own, else its first and last trusted. */
function registerBounds(facts: SessionFacts, session: Session): { startWh: Dec | null; stopWh: Dec | null } {
  const trusted = () =>
    facts.timeline.trusted.filter((r) => r.atMs >= session.startMs && r.atMs <= (session.stopMs ?? r.atMs));
  return {
    startWh: session.started?.meterStartWh ?? session.deviceBill?.registerStartWh ?? trusted()[0]?.registerWh ?? null,
    stopWh: session.stopped?.meterStopWh ?? session.deviceBill?.registerStopWh ?? trusted().at(-1)?.registerWh ?? null,
  };
}

export const energyLost: Rule = (facts, params) => {
  const { session, energy, neighbours } = facts;
  const found: Anomaly[] = [];
  const previous = neighbours.filter((n) => n.startMs < session.startMs && n.stopMs !== null).at(-1);
  const { startWh } = registerBounds(facts, session);
  if (previous !== undefined && startWh !== null && !startWh.isZero()) {
    const { stopWh: previousStopWh } = registerBounds(facts, previous);
    const gap = previousStopWh === null || previousStopWh.isZero() ? null : startWh.minus(previousStopWh);
    if (gap !== null && gap.gt(params.registerGapToleranceWh)) {
      found.push(
        anomaly(
          11,
          'gap-between-sessions',
          [...sessionJournalIds(previous), ...sessionJournalIds(session)],
          {
            previousStopWh: previousStopWh!.toString(),
            startWh: startWh.toString(),
            gapWh: gap.toString(),
          },
          `${params.registerGapToleranceWh} Wh`,
        ),
      );
    }
  }
  const registers = energy.deviceRegistersWh;
  if (energy.deviceRegistersTrusted && registers !== null && registers.gt(energy.energyWh.plus(params.slackWh))) {
    found.push(
      anomaly(
        11,
        'registers-above-billed',
        sessionJournalIds(session),
        {
          registersWh: registers.toString(),
          billedWh: energy.energyWh.toString(),
        },
        `${params.slackWh} Wh`,
      ),
    );
  }
  const deviceTotal = energy.deviceTotalWh;
  const billedFromTotal = energy.source === 'device-total';
  if (
    !billedFromTotal &&
    energy.deviceRegistersTrusted &&
    registers !== null &&
    deviceTotal !== null &&
    registers.gt(deviceTotal.plus(params.slackWh))
  ) {
    // The pile's own bill leaves out energy its registers saw (domain.md §B4: tiers all 0 while
    // the registers advanced). Billed from the registers, so nothing is charged twice.
    found.push(
      anomaly(
        11,
        'registers-above-device-bill',
        [session.deviceBill?.journalId],
        {
          registersWh: registers.toString(),
          deviceBillWh: deviceTotal.toString(),
        },
        `${params.slackWh} Wh`,
      ),
    );
  }
  return found;
};

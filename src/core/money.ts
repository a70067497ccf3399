// Money as small pure functions (after dinero.js). Prices are yuan per kWh or per minute with up
// to 5 decimals; a bill line is rounded once, half-up to whole fen (四舍五入, domain.md §B2.3),
// and a bill's total is the sum of its rounded lines, so reports add up exactly.
import { Dec } from './decimal.js';

const WH_PER_KWH = 1000;
const FEN_PER_YUAN = 100;

/** energyWh × yuan/kWh, in fen, unrounded: Wh × yuan/kWh × 100 fen/yuan ÷ 1000 Wh/kWh. */
export const energyCostFen = (energyWh: Dec, yuanPerKwh: Dec): Dec =>
  energyWh.times(yuanPerKwh).dividedBy(WH_PER_KWH / FEN_PER_YUAN);

/** Rounds a fen amount to a whole fen, half away from zero. */
export const roundToFen = (fen: Dec): Dec => fen.toDecimalPlaces(0, Dec.ROUND_HALF_UP);

/** yuan → fen, exact. */
export const yuanToFen = (yuan: Dec): Dec => yuan.times(FEN_PER_YUAN);

/** A whole-fen amount as yuan text with two decimals ("244.40"). */
export const formatYuan = (fen: Dec): string => fen.dividedBy(FEN_PER_YUAN).toFixed(2);

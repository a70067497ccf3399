// Money as small pure functions (after dinero.js). Prices are yuan per kWh or per minute with up
// to 5 decimals; a bill line is rounded once, half-up to whole fen (四舍五入, domain.md §B2.3),
// and a bill's total is the sum of its rounded lines, so reports add up exactly.
import { Dec } from './decimal.js';

const FEN_PER_YUAN = 100;
const FEN_PER_WH_PER_YUAN_PER_KWH = new Dec('0.1'); // 100 fen/yuan ÷ 1000 Wh/kWh

/** A price in yuan per kWh as fen per Wh, exact. */
export const fenPerWh = (yuanPerKwh: Dec): Dec => yuanPerKwh.times(FEN_PER_WH_PER_YUAN_PER_KWH);

/** Rounds a fen amount to a whole fen, half away from zero. */
export const roundToFen = (fen: Dec): Dec => fen.toDecimalPlaces(0, Dec.ROUND_HALF_UP);

/** yuan → fen, exact. */
export const yuanToFen = (yuan: Dec): Dec => yuan.times(FEN_PER_YUAN);

/** A whole-fen amount as yuan text with two decimals ("244.40"). */
export const formatYuan = (fen: Dec): string => fen.dividedBy(FEN_PER_YUAN).toFixed(2);

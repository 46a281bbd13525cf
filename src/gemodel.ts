/*
 * What a Gilbert-Elliott policy (gemodel mode) means in numbers: the
 * expected loss rate and the mean burst length, from its four
 * probabilities.  The chain (the kernel's, and netem's) has a good and a
 * bad state; p is the chance of going from good to bad at a frame, r from
 * bad to good, 1-h the loss chance in the bad state, 1-k in the good one.
 *
 *   time in the bad state (stationary):  p / (p + r)
 *   expected loss:  (1-k) * r/(p+r)  +  (1-h) * p/(p+r)
 *   with 1-h = 100% and 1-k = 0 every frame in the bad state is lost and
 *   no other: a burst is one stay in the bad state, geometric in r, so
 *   the mean burst is 1/r frames.
 *
 * Edge cases: p = 0 never leaves the good state (loss 1-k, no bursts);
 * r = 0 with p > 0 ends in the bad state for good (loss 1-h, bursts
 * unbounded).
 */
import { PPM } from './parse';

export interface GemodelNumbers {
  /** expected long-run loss, a fraction 0..1 */
  loss: number;
  /** mean burst length in frames, when 1-h = 100% and 1-k = 0 and bursts happen at all (p > 0):
   * 1/r, Infinity when r = 0; else undefined */
  meanBurst?: number;
}

/** The numbers of a gemodel policy whose probabilities are in parts per million. */
export function gemodelNumbers(pPpm: number, rPpm: number, badLossPpm: number, goodLossPpm: number): GemodelNumbers {
  const p = pPpm / PPM;
  const r = rPpm / PPM;
  const bad = badLossPpm / PPM;
  const good = goodLossPpm / PPM;
  let loss: number;
  if (p === 0) loss = good;
  else if (r === 0) loss = bad;
  else loss = (good * r) / (p + r) + (bad * p) / (p + r);
  const out: GemodelNumbers = { loss };
  if (badLossPpm === PPM && goodLossPpm === 0 && p > 0) out.meanBurst = r === 0 ? Infinity : 1 / r;
  return out;
}

'use strict';
/*
 * The bench's arithmetic: medians and spreads of rounds, and ratios
 * taken round by round (a figure against its anchor measured in the same
 * round of the same boot), so that the machine's drift cancels.
 */

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** { median, min, max, n } of xs. */
function summary(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/**
 * The ratio a/b of two series measured in the same rounds: the median of
 * the per-round ratios, with their min and max.
 */
function ratioOf(a, b) {
  const n = Math.min(a.length, b.length);
  const r = [];
  for (let i = 0; i < n; i++) r.push(a[i] / b[i]);
  return summary(r);
}

/** "1.23 (1.20–1.30)" */
function fmtRatio(s, digits = 2) {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  if (s.n <= 1) return s.median.toFixed(digits);
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** "123 456 (120 000–130 000)" with a unit-specific number format. */
function fmtValue(s, fmt = (x) => String(Math.round(x))) {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  if (s.n <= 1) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** 123456 -> "123k", 1234 -> "1.2k", 12 -> "12" */
function kilo(x) {
  if (Math.abs(x) >= 100000) return `${Math.round(x / 1000)}k`;
  if (Math.abs(x) >= 1000) return `${(x / 1000).toFixed(1)}k`;
  return String(Math.round(x));
}

module.exports = { median, summary, ratioOf, fmtRatio, fmtValue, kilo };

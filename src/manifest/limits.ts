/** Bounds that keep a typo (a sweep of 1000 x 1000) from turning into a million renders. */
export const MAX_RENDERS_PER_SHOT = 10_000;

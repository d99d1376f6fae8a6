// Package derive computes the figures pages show but the store never holds:
// per 1,000 inhabitants, share of all jobs, index to a base year, change over
// a period, network median and mean, and sums such as a county built from
// its municipalities. Keeping them derived means a corrected observation
// corrects every figure built on it, with nothing stale stored twice.
//
// Missing is missing throughout: a derived figure whose inputs are missing,
// or whose denominator is zero, is absent from the result (or reported with
// ok=false). No function here returns 0, NaN or ±Inf in place of a figure
// it could not compute.
//
// The package is pure: no I/O, no clock, no logging. It imports only the
// domain package.
package derive

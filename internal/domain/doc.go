// Package domain holds the dashboard's vocabulary: regions, indicators,
// observations with their provenance, import batches and the store and
// collector contracts. It imports nothing of the project so that every other
// package (collectors, charts, store, server) can depend on it without
// dragging the others along.
package domain

// Package kolada collects key figures from the Kolada API v3 (RKA) for the
// figures SCB's tables lack. It asks for up to 25 KPIs (Kolada's limit per
// path) for all municipalities, counties and riket in one request, with
// pages of 5 000 rows, follows the pages to the end and maps Kolada's
// region ids to SCB's codes; gender splits (K, M) come from the same rows.
// A page chain that breaks half-way fails the whole request, all of its
// KPIs: a partial series is never returned. It never touches a store.
package kolada

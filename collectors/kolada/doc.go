// Package kolada collects key figures from the Kolada API v3 (RKA) for the
// figures SCB's tables lack. It asks for one KPI for all municipalities,
// counties and riket at once, follows the pages to the end and maps
// Kolada's region ids to SCB's codes. A page chain that breaks half-way
// fails the whole KPI: a partial series is never returned. It never
// touches a store.
package kolada

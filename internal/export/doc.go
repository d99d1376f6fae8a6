// Package export writes exactly what a page shows as an Excel workbook
// (xlsx) or as a CSV file for Swedish Excel, with the sources of every
// figure, so a chief can forward a table and its provenance in one file.
//
// A page builds Tables (headers, cells, sources, notes) from what it has
// already rendered; this package only formats them. It never computes,
// rounds away or fills in a figure: a missing cell is an empty cell in both
// formats, never 0.
package export

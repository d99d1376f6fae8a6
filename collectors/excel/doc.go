// Package excel turns an analyst's spreadsheet (.xlsx or CSV) into
// observations and rejected rows, and writes the upload template.
//
// It exists because the figures no open API has (local surveys,
// Statskontoret's sheets, SCB exports saved by hand) reach the dashboard as
// files, and a file must never be able to put a wrong number on a page: a
// figure is recognised (municipality, indicator and year all identified) or
// it is a rejected row with a Swedish reason; missing markers such as ".."
// are missing, never 0; and the indicator is read from the file or given by
// the user, never guessed.
//
// Cell values are read raw, so a display format cannot change a number; the
// one format that changes what a number means, a percentage (0.785 shown as
// 78,5 %), is found from the cell's style and scaled exactly for indicators
// measured in %, and refused for any other unit.
//
// Files are untrusted: the reader bounds file size, unzipped size, rows and
// cells, rejects old .xls, encrypted and disguised files with a clear
// message, and never evaluates formulas.
package excel

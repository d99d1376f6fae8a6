package excel

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// benchRows x 4 columns = 1,000,000 cells in the long layout.
const benchRows = 250_000

type benchFile struct {
	once sync.Once
	data []byte
	err  error
}

// benchPlain has no cell formats; benchPercent gives the value cells of the
// rate indicator (unit %) Excel's "0%" format, so every sheet is also read
// for its formats.
var benchPlain, benchPercent benchFile

// benchWorkbook writes, once, a long-layout workbook of 250,000 rows with
// excelize's StreamWriter into a temporary file. The keys (municipality,
// indicator, year) are unique combinations of the 312 regions, the six
// catalogue indicators and the years 1900–2100; the values are the real
// figures of the bundled data (internal/bundled) reused in turn as payload: the
// benchmark measures reading, it makes no claim about any municipality.
// With percent, the rate indicator's values carry a percent format.
func benchWorkbook(b *testing.B, percent bool) []byte {
	b.Helper()
	bf := &benchPlain
	if percent {
		bf = &benchPercent
	}
	bf.once.Do(func() {
		regions, figs := loadTestdata(b)
		values := make([]float64, 0, len(figs))
		for _, v := range figs {
			values = append(values, v)
		}
		sort.Float64s(values)
		inds := testCatalogue().All()
		dir, err := os.MkdirTemp("", "excel-bench-")
		if err != nil {
			bf.err = err
			return
		}
		defer func() { _ = os.RemoveAll(dir) }()
		f := excelize.NewFile()
		defer func() { _ = f.Close() }()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			bf.err = err
			return
		}
		pctStyle := 0
		if percent {
			if pctStyle, err = f.NewStyle(&excelize.Style{NumFmt: 9}); err != nil {
				bf.err = err
				return
			}
		}
		if err := sw.SetRow("A1", []any{"kommun", "år", "indikator", "värde"}); err != nil {
			bf.err = err
			return
		}
		i := 0
	fill:
		for _, ind := range inds {
			for y := minYear; y <= maxYear; y++ {
				for _, r := range regions {
					if i == benchRows {
						break fill
					}
					cell, _ := excelize.CoordinatesToCellName(1, i+2)
					var v any = values[i%len(values)]
					if percent && ind.Unit == "%" {
						v = excelize.Cell{StyleID: pctStyle, Value: v}
					}
					if err := sw.SetRow(cell, []any{r.Code, y, ind.ID, v}); err != nil {
						bf.err = err
						return
					}
					i++
				}
			}
		}
		if err := sw.Flush(); err != nil {
			bf.err = err
			return
		}
		path := filepath.Join(dir, "bench.xlsx")
		if err := f.SaveAs(path); err != nil {
			bf.err = err
			return
		}
		bf.data, bf.err = os.ReadFile(path)
	})
	if bf.err != nil {
		b.Fatal(bf.err)
	}
	return bf.data
}

// peakHeap samples HeapInuse while fn runs and returns the maximum seen.
func peakHeap(fn func()) uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	fn()
	sample()
	close(stop)
	<-done
	return peak.Load()
}

func reportCells(b *testing.B, cells int, peak uint64) {
	b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func BenchmarkRead1MCells(b *testing.B) { benchRead(b, false) }

// BenchmarkRead1MCellsPercent is the same workbook with a percent format on
// the rate indicator's cells: each sheet is read a second time for its cell
// formats.
func BenchmarkRead1MCellsPercent(b *testing.B) { benchRead(b, true) }

func benchRead(b *testing.B, percent bool) {
	data := benchWorkbook(b, percent)
	opts := testOptions(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	runtime.GC()
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		p := peakHeap(func() {
			res, err := Read(bytes.NewReader(data), opts)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Observations) != benchRows || len(res.Rejects) != 0 {
				b.Fatalf("%d observations, %d rejects", len(res.Observations), len(res.Rejects))
			}
		})
		peak = max(peak, p)
	}
	reportCells(b, 4*benchRows, peak)
}

// BenchmarkRawExcelizeRows1MCells is the floor: the same workbook opened and
// iterated with excelize's Rows and Columns and nothing else, so the
// reader's own cost is the ratio of the two.
func BenchmarkRawExcelizeRows1MCells(b *testing.B) {
	data := benchWorkbook(b, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	runtime.GC()
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		p := peakHeap(func() {
			f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			cells := 0
			for rows.Next() {
				cols, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				cells += len(cols)
			}
			_ = rows.Close()
			_ = f.Close()
			if cells != 4*(benchRows+1) {
				b.Fatalf("%d cells", cells)
			}
		})
		peak = max(peak, p)
	}
	reportCells(b, 4*benchRows, peak)
}

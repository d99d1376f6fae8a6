package metrics

import (
	"math"
	"sync/atomic"
)

// histogram counts observations per bucket (not cumulative: the
// exposition adds them up) plus an overflow slot for +Inf. The count is
// derived from the buckets when written, so _count always equals the +Inf
// bucket even while requests are being recorded during a scrape.
type histogram struct {
	counts  []atomic.Uint64 // len(buckets)+1; the last is above every bound
	sumBits atomic.Uint64   // float64 bits of the sum of observations
}

func newHistogram(nBuckets int) *histogram {
	return &histogram{counts: make([]atomic.Uint64, nBuckets+1)}
}

func (h *histogram) observe(bounds []float64, v float64) {
	i := len(bounds)
	for j, b := range bounds {
		if v <= b {
			i = j
			break
		}
	}
	h.counts[i].Add(1)
	for {
		old := h.sumBits.Load()
		if h.sumBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// snapshot returns cumulative bucket counts (the last is +Inf, which is
// also the count) and the sum.
func (h *histogram) snapshot() (cumulative []uint64, sum float64) {
	cumulative = make([]uint64, len(h.counts))
	var acc uint64
	for i := range h.counts {
		acc += h.counts[i].Load()
		cumulative[i] = acc
	}
	return cumulative, math.Float64frombits(h.sumBits.Load())
}

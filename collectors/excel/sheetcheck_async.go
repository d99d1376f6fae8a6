package excel

import (
	"fmt"
	"log/slog"
	"maps"
	"sync"
)

// sheetCheck runs checkSheetXML on a goroutine of its own while excelize
// reads the same part: the check is a second full reading of the sheet's
// XML, and run first it cost a third of an upload's time (docs/benchmarks.md
// §3). The row loop takes each row's formula cells from it once the check
// has passed that row (rows come in ascending order, or the check fails),
// and asks for its verdict before the sheet counts as read.
type sheetCheck struct {
	mu    sync.Mutex
	moved *sync.Cond // through or done changed
	// formulas holds the published rows' formula cells; through is the
	// highest row published.
	formulas formulaCells
	through  int
	done     bool
	err      error
	stopped  bool
}

func startSheetCheck(parts xlsxParts, part string) *sheetCheck {
	c := &sheetCheck{}
	c.moved = sync.NewCond(&c.mu)
	go c.run(parts, part)
	return c
}

func (c *sheetCheck) run(parts xlsxParts, part string) {
	var err error
	defer func() {
		// The check reads untrusted XML off the request goroutine, where
		// readXLSX's recover does not reach.
		if r := recover(); r != nil {
			slog.Error("excel: worksheet check panicked", "panic", r, "part", part)
			err = &sheetXMLError{err: fmt.Errorf("worksheet check panic: %v", r)}
		}
		c.mu.Lock()
		c.done, c.err = true, err
		c.moved.Broadcast()
		c.mu.Unlock()
	}()
	_, err = checkSheetXML(parts, part, c.publish)
}

// publish takes a closed row's formula cells from the check; false tells
// the check to stop, since the sheet's reading has failed anyway.
func (c *sheetCheck) publish(row int, cols map[int]bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return false
	}
	if cols != nil {
		if c.formulas == nil {
			c.formulas = formulaCells{}
		}
		// A copy: the row loop reads it while the check goes on, and a
		// hostile part can put a formula cell after its row has closed
		// (a c element outside any row), which the check adds to that row.
		c.formulas[row] = maps.Clone(cols)
	}
	c.through = row
	c.moved.Broadcast()
	return true
}

// row waits until the check has passed row n (or ended) and returns the
// row's formula cells. When the check has failed, the rows read after the
// break are thrown away with the sheet (wait reports the failure), so the
// loop may go on without them.
func (c *sheetCheck) row(n int) map[int]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.through < n && !c.done {
		c.moved.Wait()
	}
	return c.formulas[n]
}

// wait returns the check's verdict once it has read the whole part.
func (c *sheetCheck) wait() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.done {
		c.moved.Wait()
	}
	return c.err
}

// stop ends the check early when the sheet's reading failed anyway.
func (c *sheetCheck) stop() {
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
}

package scb

import (
	"context"
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
)

// Metadata that names another table is refused; metadata that names no
// table is taken as the table's own (docs/testing.md, mutation testing).
func TestMetadataForAnotherTable(t *testing.T) {
	meta := string(fixture(t, "scb_v2_TAB638_metadata.json"))
	for _, tt := range []struct {
		name, tableid string
		wantErr       bool
	}{{"own", `"tableid": "TAB638"`, false}, {"none", `"tableid": ""`, false}, {"another", `"tableid": "TAB999"`, true}} {
		f := newFake(t)
		f.metadata = serve([]byte(strings.Replace(meta, `"tableid": "TAB638"`, tt.tableid, 1)))
		c, done := newCollector(t, f, clocktest.NewFakeClock(t0), regionsFromMeta(t), config.SCB{})
		col, err := c.Collect(context.Background(), nil)
		done()
		if err != nil || len(col.Units) != 1 {
			t.Fatalf("%s: %+v, %v", tt.name, col, err)
		}
		if got := col.Units[0].Err; (got != nil) != tt.wantErr {
			t.Errorf("%s: err %v, want error %v", tt.name, got, tt.wantErr)
		}
	}
}

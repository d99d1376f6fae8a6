package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

type apiPreview struct {
	ID       string `json:"id"`
	Figures  int    `json:"figures"`
	DiffHash string `json:"diff_hash"`
	Diff     struct {
		BatchID int64 `json:"batch_id"`
		New     int   `json:"new"`
		Changed int   `json:"changed"`
		Changes []struct {
			Municipality string   `json:"municipality"`
			Year         int      `json:"year"`
			Kind         string   `json:"kind"`
			Old          *float64 `json:"old"`
			New          float64  `json:"new"`
			OldSource    *struct {
				Kind string `json:"kind"`
				Ref  string `json:"ref"`
			} `json:"old_source"`
		} `json:"changes"`
	} `json:"diff"`
}

// apiCall sends a request with the session and its CSRF header and decodes
// the JSON answer.
func (c *client) apiCall(t *testing.T, method, path, ctype string, body *bytes.Buffer, out any) int {
	t.Helper()
	var resp *http.Response
	if body == nil {
		resp = c.do(method, path, ctype, nil, http.Header{"X-CSRF-Token": {c.csrf}})
	} else {
		resp = c.do(method, path, ctype, body, http.Header{"X-CSRF-Token": {c.csrf}})
	}
	raw := readBody(t, resp)
	if out != nil {
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

// TestImportAPIFlow: upload, a confirm refused because another write moved
// the figures (409 with the new diff), confirm with the new hash, roll
// back, and a second rollback refused.
func TestImportAPIFlow(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	bo := login(t, inst, "bo", domain.RoleAnalyst)
	olof2023, olof2024 := fig(t, "1060", 2023), fig(t, "1060", 2024)
	before := snapshot(t, inst)

	ct, body := multipartBody(t, "file", "olofstrom_fel.xlsx", workbook(t, longSheet([]any{"1060", 2024, "population", olof2023})), nil)
	var prev apiPreview
	if st := an.apiCall(t, http.MethodPost, "/api/v1/imports", ct, body, &prev); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	if prev.Figures != 1 || prev.Diff.Changed != 1 || len(prev.Diff.Changes) != 1 {
		t.Fatalf("preview %+v", prev)
	}
	ch := prev.Diff.Changes[0]
	if ch.Municipality != "1060" || ch.Year != 2024 || ch.Kind != "changed" || ch.Old == nil || *ch.Old != olof2024 || ch.New != olof2023 || ch.OldSource == nil || ch.OldSource.Kind != "bundled" {
		t.Fatalf("change %+v", ch)
	}
	// Bo's upload of the real 2024 figure lands in between.
	bpath, bpage := bo.previewOf("olofstrom.xlsx", workbook(t, longSheet([]any{"1060", 2024, "population", olof2024})), nil)
	bo.confirm(bpath, bpage)

	var stale struct {
		DiffHash string `json:"diff_hash"`
		Diff     struct {
			Changes []struct {
				OldSource struct {
					Ref string `json:"ref"`
				} `json:"old_source"`
			} `json:"changes"`
		} `json:"diff"`
	}
	if st := an.apiCall(t, http.MethodPost, "/api/v1/imports/"+prev.ID+"/confirm?diff_hash="+prev.DiffHash, "", nil, &stale); st != http.StatusConflict {
		t.Fatalf("stale confirm: %d", st)
	}
	if stale.DiffHash == prev.DiffHash || len(stale.Diff.Changes) != 1 || stale.Diff.Changes[0].OldSource.Ref != "olofstrom.xlsx" {
		t.Fatalf("stale answer %+v", stale)
	}
	var confirmed struct {
		BatchID int64 `json:"batch_id"`
		Diff    struct {
			BatchID int64 `json:"batch_id"`
			Changed int   `json:"changed"`
		} `json:"diff"`
	}
	if st := an.apiCall(t, http.MethodPost, "/api/v1/imports/"+prev.ID+"/confirm?diff_hash="+stale.DiffHash, "", nil, &confirmed); st != http.StatusOK {
		t.Fatalf("confirm: %d", st)
	}
	if confirmed.BatchID == 0 || confirmed.Diff.BatchID != confirmed.BatchID || confirmed.Diff.Changed != 1 {
		t.Fatalf("confirm answer %+v", confirmed)
	}
	if got := observations(t, inst, []string{"1060"}, 2024, 2024)["1060/2024"]; got.Value != olof2023 || got.BatchID != confirmed.BatchID {
		t.Fatalf("after confirm: %+v", got)
	}
	if st := an.apiCall(t, http.MethodGet, "/api/v1/imports/"+prev.ID, "", nil, nil); st != http.StatusNotFound {
		t.Fatalf("the confirmed preview still answers %d", st)
	}
	var list struct {
		Data []domain.BatchInfo `json:"data"`
	}
	if st := an.apiCall(t, http.MethodGet, "/api/v1/imports", "", nil, &list); st != http.StatusOK || len(list.Data) < 3 || list.Data[0].ID != confirmed.BatchID || list.Data[0].Actor != "anna" {
		t.Fatalf("batch list %d %+v", st, list.Data)
	}
	rollback := fmt.Sprintf("/api/v1/batches/%d/rollback", confirmed.BatchID)
	if st := an.apiCall(t, http.MethodPost, rollback, "", nil, nil); st != http.StatusOK {
		t.Fatalf("rollback: %d", st)
	}
	var refused struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if st := an.apiCall(t, http.MethodPost, rollback, "", nil, &refused); st != http.StatusConflict || !strings.Contains(refused.Error.Message, "redan ångrad") {
		t.Fatalf("second rollback: %d %+v", st, refused)
	}
	if got := observations(t, inst, []string{"1060"}, 2024, 2024)["1060/2024"]; got.Value != olof2024 || got.SourceRef != "olofstrom.xlsx" {
		t.Fatalf("after rollback the API shows %+v, want Bo's upload", got)
	}
	// Bo's batch is his: Anna may not undo it, Bo may, and then the store
	// is as it was.
	var boBatch int64
	for _, b := range list.Data {
		if b.Actor == "bo" {
			boBatch = b.ID
		}
	}
	if st := an.apiCall(t, http.MethodPost, fmt.Sprintf("/api/v1/batches/%d/rollback", boBatch), "", nil, nil); st != http.StatusForbidden {
		t.Fatalf("Anna undoing Bo's batch: %d", st)
	}
	if st := bo.apiCall(t, http.MethodPost, fmt.Sprintf("/api/v1/batches/%d/rollback", boBatch), "", nil, nil); st != http.StatusOK {
		t.Fatalf("Bo undoing his batch: %d", st)
	}
	if !equalStrings(before, snapshot(t, inst)) {
		t.Fatal("after undoing both uploads the figures differ from before")
	}
}

// TestImportTemplateDownload: the template holds the instructions, an
// empty data sheet and the configured members.
func TestImportTemplateDownload(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	an := login(t, inst, "anna", domain.RoleAnalyst)
	resp := an.do(http.MethodGet, "/import/mall.xlsx", "", nil, nil)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("template: %d", resp.StatusCode)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if got := strings.Join(f.GetSheetList(), ","); got != "Instruktioner,Data,Medlemmar,Indikatorer" {
		t.Fatalf("sheets %s", got)
	}
	rows, err := f.GetRows("Medlemmar")
	if err != nil {
		t.Fatal(err)
	}
	members := inst.Config.MemberCodes()
	if len(rows) != len(members)+1 {
		t.Fatalf("%d member rows, want %d", len(rows)-1, len(members))
	}
	regions := inst.Config.RegionIndex()
	for i, code := range members {
		if rows[i+1][0] != code || rows[i+1][1] != regions.Name(code) {
			t.Errorf("member row %d = %v, want %s %s", i+1, rows[i+1], code, regions.Name(code))
		}
	}
	if data, _ := f.GetRows("Data"); len(data) != 1 {
		t.Fatalf("the data sheet has %d rows; the template must hold no figures", len(data))
	}
}

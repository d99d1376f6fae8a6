package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// testGroups: a saved set replaces the previous one whole and comes back
// as saved. Group rows copied from the shipped Kolada snapshot.
func testGroups(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	if _, ok, err := s.Groups(ctx); err != nil || ok {
		t.Fatalf("fresh store: ok %v err %v", ok, err)
	}
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	first := domain.GroupSnapshot{FetchedAt: at, Groups: []domain.MunicipalityGroup{
		{ID: "G92787", Title: "Storstäder (ovägt medel)", Members: []string{"0180", "1280", "1480"}},
		{ID: "G37489", Title: "Liknande kommuner, övergripande, Olofström, 2025", Members: []string{"1435", "1442", "1763", "1766", "1861", "1862", "2460"}},
	}}
	if err := s.SaveGroups(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveGroups(ctx, domain.GroupSnapshot{FetchedAt: at.Add(time.Hour), Groups: first.Groups[1:]}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Groups(ctx)
	if err != nil || !ok || len(got.Groups) != 1 {
		t.Fatalf("groups = %+v %v %v", got, ok, err)
	}
	g := got.Groups[0]
	if g.ID != "G37489" || strings.Join(g.Members, ",") != "1435,1442,1763,1766,1861,1862,2460" || !got.FetchedAt.Equal(at.Add(time.Hour)) {
		t.Errorf("stored group = %+v at %v", g, got.FetchedAt)
	}
	if err := s.SaveGroups(ctx, domain.GroupSnapshot{}); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("empty set: %v", err)
	}
	if got, _, _ := s.Groups(ctx); len(got.Groups) != 1 {
		t.Error("an empty set must not wipe the stored one")
	}
}

// testMembers: entries are upserted by code with who and when; a removed
// member stays on record, inactive.
func testMembers(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	if ms, err := s.Members(ctx); err != nil || len(ms) != 0 {
		t.Fatalf("fresh store: %v %v", ms, err)
	}
	at := time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)
	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add := []domain.Member{
		{Code: "1488", Evidence: "Värd för höstmötet 2018", EvidenceDate: "2018-12-06", Active: true, ChangedBy: "admin", ChangedAt: at},
		{Code: "1060", Evidence: "Pressmeddelande", Joined: 2022, Active: true, ChangedBy: "admin", ChangedAt: at},
	}
	if err := s.SaveMembers(ctx, add); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMembers(ctx, []domain.Member{{Code: "1060", Evidence: "Pressmeddelande", Joined: 2022, Active: false, ChangedBy: "sekretariatet", ChangedAt: at.Add(time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	// Pages show members: each save moves the data version, which tells
	// the other instances to reload.
	if v, _ := s.DataVersion(ctx); v != v0+2 {
		t.Errorf("data version %d after two saves from %d", v, v0)
	}
	ms, err := s.Members(ctx)
	if err != nil || len(ms) != 2 {
		t.Fatalf("members = %+v %v", ms, err)
	}
	if m := ms[0]; m.Code != "1060" || m.Active || m.ChangedBy != "sekretariatet" || m.Joined != 2022 || !m.ChangedAt.Equal(at.Add(time.Minute)) {
		t.Errorf("removed member = %+v", m)
	}
	if m := ms[1]; m.Code != "1488" || !m.Active || m.EvidenceDate != "2018-12-06" || m.ChangedBy != "admin" {
		t.Errorf("added member = %+v", m)
	}
}

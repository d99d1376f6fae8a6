package members

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// memStore is an in-memory domain.MemberStore.
type memStore struct{ rows map[string]domain.Member }

func (m *memStore) Members(context.Context) ([]domain.Member, error) {
	var out []domain.Member
	for _, v := range m.rows {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func (m *memStore) SaveMembers(_ context.Context, ms []domain.Member) error {
	for _, v := range ms {
		m.rows[v.Code] = v
	}
	return nil
}

var t0 = time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)

func setup() (*Registry, *memStore) {
	regions := domain.NewRegions([]domain.Region{
		{Code: "00", Name: "Riket"}, {Code: "10", Name: "Blekinge län"}, {Code: "14", Name: "Västra Götalands län"},
		{Code: "1060", Name: "Olofström", CountyCode: "10"}, {Code: "1488", Name: "Trollhättan", CountyCode: "14"},
		{Code: "1080", Name: "Karlskrona", CountyCode: "10"},
	})
	st := &memStore{rows: map[string]domain.Member{}}
	return New(st, []domain.Member{{Code: "1060", Evidence: "Pressmeddelande: medlem nr 26"}}, regions, func() time.Time { return t0 }), st
}

func TestFirstEditCopiesTheConfiguredList(t *testing.T) {
	r, st := setup()
	ms, edited, err := r.List(context.Background())
	if err != nil || edited || len(ms) != 1 || !ms[0].Active {
		t.Fatalf("before any edit: %+v %v %v", ms, edited, err)
	}
	if err := r.Add(context.Background(), domain.Member{Code: "1488", Evidence: "Värd för höstmötet 2018 (Innovatum)", EvidenceDate: "2018-12-06"}, "anna"); err != nil {
		t.Fatal(err)
	}
	if len(st.rows) != 2 || st.rows["1060"].ChangedBy != ConfigActor || st.rows["1488"].ChangedBy != "anna" || !st.rows["1488"].ChangedAt.Equal(t0) {
		t.Errorf("stored = %+v", st.rows)
	}
	ms, edited, _ = r.List(context.Background())
	if !edited || strings.Join(Active(ms), ",") != "1060,1488" {
		t.Errorf("after add: %v %v", Active(ms), edited)
	}
	if err := r.Remove(context.Background(), "1060", "Utträde enligt protokoll", "bo"); err != nil {
		t.Fatal(err)
	}
	ms, _, _ = r.List(context.Background())
	if strings.Join(Active(ms), ",") != "1488" || ms[0].Active || ms[0].ChangedBy != "bo" || ms[0].Evidence != "Utträde enligt protokoll" {
		t.Errorf("after remove: %+v", ms)
	}
}

func TestEditsRefused(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		do   func(r *Registry) error
		code domain.Code
	}{
		{"not a municipality", func(r *Registry) error { return r.Add(ctx, domain.Member{Code: "10", Evidence: "x"}, "a") }, domain.CodeInvalid},
		{"unknown code", func(r *Registry) error { return r.Add(ctx, domain.Member{Code: "<b>", Evidence: "x"}, "a") }, domain.CodeInvalid},
		{"no evidence", func(r *Registry) error { return r.Add(ctx, domain.Member{Code: "1488", Evidence: "  "}, "a") }, domain.CodeInvalid},
		{"long evidence", func(r *Registry) error {
			return r.Add(ctx, domain.Member{Code: "1488", Evidence: strings.Repeat("ö", 501)}, "a")
		}, domain.CodeInvalid},
		{"bad date", func(r *Registry) error {
			return r.Add(ctx, domain.Member{Code: "1488", Evidence: "x", EvidenceDate: "6 dec 2018"}, "a")
		}, domain.CodeInvalid},
		{"joined in the future", func(r *Registry) error {
			return r.Add(ctx, domain.Member{Code: "1488", Evidence: "x", Joined: 2030}, "a")
		}, domain.CodeInvalid},
		{"already a member", func(r *Registry) error { return r.Add(ctx, domain.Member{Code: "1060", Evidence: "x"}, "a") }, domain.CodeConflict},
		{"remove a non-member", func(r *Registry) error { return r.Remove(ctx, "1080", "x", "a") }, domain.CodeNotFound},
		{"remove the last member", func(r *Registry) error { return r.Remove(ctx, "1060", "x", "a") }, domain.CodeInvalid},
		{"remove without evidence", func(r *Registry) error { return r.Remove(ctx, "1060", "", "a") }, domain.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, st := setup()
			if err := tt.do(r); domain.ErrorCode(err) != tt.code || domain.UserMessage(err, "") == "" {
				t.Errorf("err = %v, want code %v with a Swedish message", err, tt.code)
			}
			if len(st.rows) != 0 {
				t.Errorf("a refused edit stored %+v", st.rows)
			}
		})
	}
	// Accepted edge values.
	r, _ := setup()
	if err := r.Add(ctx, domain.Member{Code: "1488", Evidence: "x", EvidenceDate: "2018", Joined: 2027}, "a"); err != nil {
		t.Errorf("year-only date and next year's joining: %v", err)
	}
}

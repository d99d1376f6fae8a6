// Package koladatest is a fake of Kolada's v3 data API for tests: it
// answers /v3/data/kpi/{ids}/year/{years} with one row per region and
// year the KPI has, in pages of PageSize rows linked by next_url, as the
// public v3 clients describe it. Figures come from Value, a deterministic
// function of the cell, never a real statistic.
package koladatest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// KPI is one fake key figure: the years it has.
type KPI struct {
	ID          string
	First, Last int
}

// Server is the fake. Municipalities are Kolada ids ("0000" riket, "00NN"
// län, kommun codes).
type Server struct {
	KPIs           map[string]KPI
	Municipalities []string
	PageSize       int
	// Groups, when set, are served at /v3/municipality_groups in pages of
	// PageSize; without them that path answers 404, as an unknown path.
	Groups []domain.MunicipalityGroup

	mu     sync.Mutex
	calls  []string
	broken map[string]bool
}

// New serves kpis for the Kolada ids in municipalities.
func New(municipalities []string, kpis ...KPI) *Server {
	s := &Server{KPIs: map[string]KPI{}, Municipalities: municipalities, PageSize: 5000, broken: map[string]bool{}}
	for _, k := range kpis {
		s.KPIs[k.ID] = k
	}
	return s
}

// Break makes every request for the KPI answer 500.
func (s *Server) Break(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broken[id] = true
}

// Calls lists the request URIs so far.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// Value is the figure of a KPI, Kolada id, year and gender: a
// deterministic function of the cell, never a real statistic, in the
// range and form the KPI's catalogue description gives (so plausibility
// rules can be as strict as the real figures allow): net migration
// (N01800) whole persons from −500 to +500, the demographic dependency
// ratio (N00927) 0.50–1.49 with two decimals, every other KPI a share
// from 0.1 to 100.0 with one decimal.
func Value(kpi, municipality string, year int, gender string) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d|%s", kpi, municipality, year, gender)
	n := h.Sum64()
	switch kpi {
	case "N01800":
		return float64(int64(n%1001) - 500)
	case "N00927":
		return float64(n%100+50) / 100
	}
	return math.Round(float64(n%1000+1)) / 10
}

type row struct {
	KPI          string `json:"kpi"`
	Municipality string `json:"municipality"`
	Period       int    `json:"period"`
	Values       []val  `json:"values"`
}

type val struct {
	Gender string  `json:"gender"`
	Status string  `json:"status"`
	Value  float64 `json:"value"`
	Count  int     `json:"count"`
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls = append(s.calls, r.RequestURI)
	s.mu.Unlock()
	if ids, ok := strings.CutPrefix(r.URL.Path, "/v3/kpi/"); ok {
		s.catalogue(w, ids)
		return
	}
	if r.URL.Path == "/v3/municipality_groups" && s.Groups != nil {
		s.groups(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v3/data/kpi/")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 3 || parts[1] != "year" {
		http.NotFound(w, r)
		return
	}
	var rows []row
	for _, id := range strings.Split(parts[0], ",") {
		s.mu.Lock()
		broken := s.broken[id]
		s.mu.Unlock()
		if broken {
			http.Error(w, "Internal Server Error", http.StatusInternalServerError)
			return
		}
		k, ok := s.KPIs[id]
		if !ok {
			continue // Kolada answers an unknown KPI with no rows
		}
		for _, ys := range strings.Split(parts[2], ",") {
			y, err := strconv.Atoi(ys)
			if err != nil {
				http.Error(w, "bad year", http.StatusBadRequest)
				return
			}
			if y < k.First || y > k.Last {
				continue
			}
			for _, m := range s.Municipalities {
				rw := row{KPI: id, Municipality: m, Period: y}
				for _, g := range []string{"K", "M", "T"} {
					rw.Values = append(rw.Values, val{Gender: g, Value: Value(id, m, y, g), Count: 1})
				}
				rows = append(rows, rw)
			}
		}
	}
	writePage(w, r, rows, s.PageSize)
}

// writePage answers the page of items that the request's page parameter
// asks for (1 when absent), with next_url while more follow.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T, pageSize int) {
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		page, _ = strconv.Atoi(p)
	}
	size := max(pageSize, 1)
	start := min(max(page-1, 0)*size, len(items))
	end := min(start+size, len(items))
	doc := map[string]any{"count": len(items), "values": append([]T{}, items[start:end]...)}
	if end < len(items) {
		doc["next_url"] = fmt.Sprintf("http://%s%s?page=%d", r.Host, r.URL.Path, page+1)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(doc)
}

type groupMember struct {
	ID string `json:"member_id"`
}

type group struct {
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Members []groupMember `json:"members"`
}

// groups answers /v3/municipality_groups in the v3 shape
// ({id, title, members: [{member_id}]}).
func (s *Server) groups(w http.ResponseWriter, r *http.Request) {
	out := make([]group, len(s.Groups))
	for i, g := range s.Groups {
		out[i] = group{ID: g.ID, Title: g.Title, Members: make([]groupMember, len(g.Members))}
		for j, m := range g.Members {
			out[i].Members[j] = groupMember{ID: m}
		}
	}
	writePage(w, r, out, s.PageSize)
}

// catalogue answers /v3/kpi/{ids} with an entry per known KPI.
func (s *Server) catalogue(w http.ResponseWriter, ids string) {
	var vals []map[string]any
	for _, id := range strings.Split(ids, ",") {
		if _, ok := s.KPIs[id]; ok {
			vals = append(vals, map[string]any{"id": id, "title": "Nyckeltal " + id})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"count": len(vals), "values": vals})
}

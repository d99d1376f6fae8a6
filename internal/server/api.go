package server

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

type apiRegion struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"` // "riket", "lan", "kommun"
	CountyCode string `json:"county_code,omitempty"`
	Member     bool   `json:"member"`
}

func kindName(k domain.RegionKind) string {
	switch k {
	case domain.KindCountry:
		return "riket"
	case domain.KindCounty:
		return "lan"
	case domain.KindMunicipality:
		return "kommun"
	}
	return ""
}

// jsonBody marshals for the cache.
func jsonBody(v any) (response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return response{}, fmt.Errorf("api: encode: %w", err)
	}
	return response{body: b, ctype: fiber.MIMEApplicationJSONCharsetUTF8}, nil
}

func (s *Server) apiMunicipalities(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		env := s.deps.Env
		out := make([]apiRegion, 0, len(env.Regions.All()))
		for _, r := range env.Regions.All() {
			out = append(out, apiRegion{Code: r.Code, Name: r.Name, Kind: kindName(r.Kind()), CountyCode: r.CountyCode, Member: env.IsMember(r.Code)})
		}
		return jsonBody(fiber.Map{"data": out})
	})
}

// apiIndicator is a catalogue entry with its theme's Swedish name.
type apiIndicator struct {
	domain.Indicator
	ThemeName string `json:"theme_name"`
}

// apiIndicators answers GET /api/v1/indicators: every indicator with its
// theme (id and name), in theme order, and the themes themselves.
func (s *Server) apiIndicators(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		out := []apiIndicator{}
		themes := []domain.Theme{}
		for _, g := range s.deps.Env.Catalogue.Groups() {
			themes = append(themes, g.Theme)
			for _, ind := range g.Indicators {
				out = append(out, apiIndicator{Indicator: ind, ThemeName: g.Theme.Name})
			}
		}
		return jsonBody(fiber.Map{"data": out, "themes": themes})
	})
}

type apiObservation struct {
	Municipality string    `json:"municipality"`
	Indicator    string    `json:"indicator"`
	Gender       string    `json:"gender"` // "T" total, "K" kvinnor, "M" män
	Year         int       `json:"year"`
	Value        float64   `json:"value"`
	Source       string    `json:"source"`
	SourceKind   string    `json:"source_kind"`
	SourceRef    string    `json:"source_ref"`
	BatchID      int64     `json:"batch_id"`
	FetchedAt    time.Time `json:"fetched_at"`
	// Preliminary is on every row: true for a figure the source publishes
	// as preliminary (replaced by the final figure when it comes).
	Preliminary bool `json:"preliminary"`
}

// apiObservations answers
// GET /api/v1/observations?indicator=ID[,ID]&municipality=CODE[,CODE]&from=YEAR&to=YEAR[&gender=K|M]
// with the figures pages show (precedence applied), each with its source.
// gender asks for the women's or men's split of indicators that have one.
// A missing figure is absent, never 0.
func (s *Server) apiObservations(c *fiber.Ctx) error {
	q, err := s.observationsQuery(c)
	if err != nil {
		return err
	}
	return s.serveCached(c, func() (response, error) {
		out := []apiObservation{}
		for _, id := range q.indicators {
			t, err := s.deps.Data.Table(c.UserContext(), domain.GenderVariant(id, q.gender))
			if err != nil {
				return response{}, err
			}
			for _, code := range q.codes {
				out = s.appendObservations(out, t, id, code, q)
			}
		}
		return jsonBody(fiber.Map{"data": out})
	})
}

// observationsQuery is a checked /api/v1/observations request.
type observationsQuery struct {
	gender     string // T, K or M
	indicators []string
	codes      []string // every region when none was asked for
	from, to   int      // 0: open
}

// observationsQuery reads and checks the parameters; each refusal names
// the parameter.
func (s *Server) observationsQuery(c *fiber.Ctx) (observationsQuery, error) {
	env := s.deps.Env
	var q observationsQuery
	switch q.gender = strings.ToUpper(query(c, "gender")); q.gender {
	case "":
		q.gender = domain.GenderTotal
	case domain.GenderTotal, domain.GenderWomen, domain.GenderMen:
	default:
		return q, badParam("gender", "gender måste vara T, K eller M")
	}
	for _, id := range strings.Split(query(c, "indicator"), ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if _, ok := env.Catalogue.Get(id); !ok {
			return q, badParam("indicator", "okänd indikator %q", truncate(id, 40))
		}
		if _, ok := env.Catalogue.Variant(id, q.gender); !ok {
			return q, badParam("gender", "indikatorn %q finns inte uppdelad på kön", truncate(id, 40))
		}
		q.indicators = append(q.indicators, id)
	}
	if len(q.indicators) == 0 {
		return q, badParam("indicator", "indicator krävs, t.ex. indicator=population")
	}
	for _, code := range strings.Split(query(c, "municipality"), ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if _, ok := env.Regions.Get(code); !ok {
			return q, badParam("municipality", "okänd kommunkod %q", truncate(code, 40))
		}
		q.codes = append(q.codes, code)
	}
	if len(q.codes) == 0 {
		for _, r := range env.Regions.All() {
			q.codes = append(q.codes, r.Code)
		}
	}
	var err error
	if q.from, err = yearParam(c, "from"); err != nil {
		return q, err
	}
	if q.to, err = yearParam(c, "to"); err != nil {
		return q, err
	}
	if q.from != 0 && q.to != 0 && q.from > q.to {
		return q, badParam("from", "from (%d) är senare än to (%d)", q.from, q.to)
	}
	return q, nil
}

// appendObservations adds one region's figures of one indicator within the
// query's years, oldest first, each with its source.
func (s *Server) appendObservations(out []apiObservation, t *report.Table, id, code string, q observationsQuery) []apiObservation {
	series := t.Series(code)
	years := make([]int, 0, len(series))
	for y := range series {
		if (q.from == 0 || y >= q.from) && (q.to == 0 || y <= q.to) {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	for _, y := range years {
		src, _ := t.Source(code, y)
		out = append(out, apiObservation{Municipality: code, Indicator: id, Gender: q.gender, Year: y, Value: series[y],
			Source: s.describeSource(src), SourceKind: string(src.Kind), SourceRef: src.Ref, BatchID: src.BatchID, FetchedAt: src.FetchedAt, Preliminary: src.Preliminary})
	}
	return out
}

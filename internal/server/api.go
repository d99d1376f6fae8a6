package server

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
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
}

// apiObservations answers
// GET /api/v1/observations?indicator=ID[,ID]&municipality=CODE[,CODE]&from=YEAR&to=YEAR[&gender=K|M]
// with the figures pages show (precedence applied), each with its source.
// gender asks for the women's or men's split of indicators that have one.
// A missing figure is absent, never 0.
func (s *Server) apiObservations(c *fiber.Ctx) error {
	env := s.deps.Env
	gender := strings.ToUpper(query(c, "gender"))
	switch gender {
	case "", domain.GenderTotal, domain.GenderWomen, domain.GenderMen:
	default:
		return badParam("gender", "gender måste vara T, K eller M")
	}
	var inds, codes []string
	for _, id := range strings.Split(query(c, "indicator"), ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if _, ok := env.Catalogue.Get(id); !ok {
			return badParam("indicator", "okänd indikator %q", truncate(id, 40))
		}
		if _, ok := env.Catalogue.Variant(id, gender); !ok {
			return badParam("gender", "indikatorn %q finns inte uppdelad på kön", truncate(id, 40))
		}
		inds = append(inds, id)
	}
	if len(inds) == 0 {
		return badParam("indicator", "indicator krävs, t.ex. indicator=population")
	}
	for _, code := range strings.Split(query(c, "municipality"), ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if _, ok := env.Regions.Get(code); !ok {
			return badParam("municipality", "okänd kommunkod %q", truncate(code, 40))
		}
		codes = append(codes, code)
	}
	from, err := yearParam(c, "from")
	if err != nil {
		return err
	}
	to, err := yearParam(c, "to")
	if err != nil {
		return err
	}
	if from != 0 && to != 0 && from > to {
		return badParam("from", "from (%d) är senare än to (%d)", from, to)
	}
	return s.serveCached(c, func() (response, error) {
		out := []apiObservation{}
		g := gender
		if g == "" {
			g = domain.GenderTotal
		}
		for _, id := range inds {
			t, err := s.deps.Data.Table(c.UserContext(), domain.GenderVariant(id, g))
			if err != nil {
				return response{}, err
			}
			list := codes
			if len(list) == 0 {
				for _, r := range env.Regions.All() {
					list = append(list, r.Code)
				}
			}
			for _, code := range list {
				series := t.Series(code)
				years := make([]int, 0, len(series))
				for y := range series {
					if (from == 0 || y >= from) && (to == 0 || y <= to) {
						years = append(years, y)
					}
				}
				sort.Ints(years)
				for _, y := range years {
					src, _ := t.Source(code, y)
					out = append(out, apiObservation{Municipality: code, Indicator: id, Gender: g, Year: y, Value: series[y],
						Source: s.describeSource(src), SourceKind: string(src.Kind), SourceRef: src.Ref, BatchID: src.BatchID, FetchedAt: src.FetchedAt})
				}
			}
		}
		return jsonBody(fiber.Map{"data": out})
	})
}

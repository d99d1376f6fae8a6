package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Cross-source checks: where SCB's counts and Kolada's published share
// measure the same thing, the differences over the check's threshold, as
// JSON (/api/v1/discrepancies) and as a table on /admin/kallor. Nothing is
// overwritten; the pages mark the figures concerned.

type apiDiscrepancy struct {
	Check        string             `json:"check"`
	Name         string             `json:"name"`
	Municipality string             `json:"municipality"`
	Year         int                `json:"year"`
	Values       map[string]float64 `json:"values"`
	// Difference is the computed share minus the published one, in
	// percentage points.
	Difference float64  `json:"difference"`
	Threshold  float64  `json:"threshold"`
	Sources    []string `json:"sources"`
}

// apiDiscrepancies answers GET /api/v1/discrepancies: every discrepancy
// of the stored figures, by check, region and year. values holds the two
// counts by indicator id and the two shares by source kind ("scb",
// "kolada").
func (s *Server) apiDiscrepancies(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		list, err := report.Discrepancies(c.UserContext(), s.deps.Env, s.deps.Data)
		if err != nil {
			return response{}, err
		}
		out := make([]apiDiscrepancy, 0, len(list))
		for _, x := range list {
			ch := x.Check
			out = append(out, apiDiscrepancy{
				Check: ch.ID, Name: ch.Name, Municipality: x.Municipality, Year: x.Year,
				Values: map[string]float64{ch.Part: x.Part, ch.Total: x.Total,
					string(ch.PartSource): x.Computed, string(ch.ReferenceSource): x.Reference},
				Difference: x.Difference, Threshold: ch.Threshold,
				Sources: []string{s.describeSource(x.Sources[0]), s.describeSource(x.Sources[1]), s.describeSource(x.Sources[2])},
			})
		}
		return jsonBody(fiber.Map{"data": out})
	})
}

// discrepancyRow is one line of the table on /admin/kallor.
type discrepancyRow struct {
	Check, Region, Code, Year, Computed, Reference, Difference string
}

// discrepancyRows lists the discrepancies for the sources page; the page
// shows at most maxRows of them and says how many there are.
func (s *Server) discrepancyRows(c *fiber.Ctx) ([]discrepancyRow, int, error) {
	const maxRows = 200
	list, err := report.Discrepancies(c.UserContext(), s.deps.Env, s.deps.Data)
	if err != nil {
		return nil, 0, err
	}
	var out []discrepancyRow
	for i, x := range list {
		if i == maxRows {
			break
		}
		out = append(out, discrepancyRow{Check: x.Check.Name, Region: s.deps.Env.Regions.Name(x.Municipality), Code: x.Municipality,
			Year:     strconv.Itoa(x.Year),
			Computed: report.FormatNumber(x.Computed, 1) + " %", Reference: report.FormatNumber(x.Reference, 1) + " %",
			Difference: report.FormatChangeFor(&x.Difference, pointsIndicator)})
	}
	return out, len(list), nil
}

// pointsIndicator formats a difference of two shares in percentage points.
var pointsIndicator = domain.Indicator{Unit: "%", Rate: true, Measures: []string{"absolut"}, Decimals: 1}

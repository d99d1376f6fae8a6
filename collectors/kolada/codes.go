package kolada

import (
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// scbCode maps a Kolada region id to SCB's code: "0000" (riket) is "00",
// "00NN" (region/län NN) is "NN", a four-digit kommun id is the kommun's
// SCB code. Ids of groups or of regions the dashboard does not know give
// ok == false. Kommun codes never start with "00" (the lowest is 0114), so
// the county form cannot be mistaken for a kommun.
func scbCode(id string, regions *domain.Regions) (string, bool) {
	if len(id) != 4 || domain.KindOf(id) == domain.KindUnknown {
		return "", false
	}
	code := id
	switch {
	case id == "0000":
		code = domain.RiketCode
	case strings.HasPrefix(id, "00"):
		code = id[2:]
	}
	if _, ok := regions.Get(code); !ok {
		return "", false
	}
	return code, true
}

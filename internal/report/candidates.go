package report

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/groups"
)

// The network's membership criteria, as it states them: a relatively large
// share of industry, outside the metropolitan regions, at most MaxMembers
// members.
const (
	MaxMembers = 25
	// IndicatorIndustrialShare is Kolada's share of jobs at the workplace
	// in mining and manufacturing (N02235), the fallback where SCB's
	// counts are missing.
	IndicatorIndustrialShare = "industrial_share"
	// IndicatorIndustrialJobs is SCB's count of jobs at the workplace in
	// SNI 2007 B+C.
	IndicatorIndustrialJobs = "industrial_jobs"
)

// MetroGroups are Kolada's municipality groups (by title) that make up the
// metropolitan regions the network does not recruit from.
var MetroGroups = []string{"Storstäder", "Pendlingskommun nära storstad"}

// CandidateRow is one non-member municipality outside the metropolitan
// regions.
type CandidateRow struct {
	Rank            int
	Code, Name      string
	County          string
	IndustrialShare *float64
	// ShareSource says where IndustrialShare comes from: "SCB" (industrial
	// jobs ÷ all jobs at the workplace, same year) or "Kolada N02235".
	ShareSource string
	Sources     []domain.Source // provenance of the share's figures
	Population  *float64
	StateShare  *float64
}

// CandidatesView is the Kandidater page: who could join by the network's
// own criteria, ranked by the industrial share of jobs at the workplace.
type CandidatesView struct {
	Year    int
	Years   []int
	Rows    []CandidateRow
	Members int // the network's members now
	// Excluded names the metropolitan groups left out, with how many
	// municipalities each has, and where the groups come from.
	Excluded      []string
	GroupsSource  string
	NetworkMedian *float64 // members' industrial share, same year and rule
	MedianNote    string
	Sources       []domain.Source
	Precedence    string
}

// Candidates ranks the municipalities that are neither members nor in
// Kolada's metropolitan groups by the industrial share of jobs in year (0:
// the latest year any of them has one). SCB's counts are used where both
// exist, else Kolada's published share.
func Candidates(ctx context.Context, env *Env, d *Data, year int) (*CandidatesView, error) {
	set := env.groupSet()
	if set == nil {
		return nil, domain.Errorf(domain.CodeUnavailable, "Koladas kommungrupper saknas, så storstadsregionerna kan inte räknas bort.", nil)
	}
	v := &CandidatesView{Members: len(env.Members), GroupsSource: set.Source(), Precedence: env.Precedence.Describe()}
	metro, excluded, err := metroCodes(set)
	if err != nil {
		return nil, err
	}
	v.Excluded = excluded
	tabs := map[string]*Table{}
	for _, id := range []string{IndicatorIndustrialJobs, domain.IndicatorEmployedDay, IndicatorIndustrialShare, domain.IndicatorPopulation, IndicatorStateShare} {
		t, err := d.Table(ctx, id)
		if err != nil {
			return nil, err
		}
		tabs[id] = t
	}
	var codes []string
	for _, r := range env.Regions.Municipalities() {
		if !env.IsMember(r.Code) && !metro[r.Code] {
			codes = append(codes, r.Code)
		}
	}
	share := func(code string, y int) (*float64, string, []domain.Source) {
		part, ok1 := tabs[IndicatorIndustrialJobs].Value(code, y)
		total, ok2 := tabs[domain.IndicatorEmployedDay].Value(code, y)
		if ok1 && ok2 {
			if s, ok := derive.Share(derive.Series{y: part}, derive.Series{y: total})[y]; ok {
				return &s, "SCB", []domain.Source{*sourceAt(tabs[IndicatorIndustrialJobs], code, y), *sourceAt(tabs[domain.IndicatorEmployedDay], code, y)}
			}
		}
		if s, ok := tabs[IndicatorIndustrialShare].Value(code, y); ok {
			return &s, "Kolada N02235", []domain.Source{*sourceAt(tabs[IndicatorIndustrialShare], code, y)}
		}
		return nil, "", nil
	}
	years := map[int]bool{}
	for _, id := range []string{IndicatorIndustrialJobs, IndicatorIndustrialShare} {
		for _, y := range tabs[id].Years {
			years[y] = true
		}
	}
	for y := range years {
		for _, c := range codes {
			if s, _, _ := share(c, y); s != nil {
				v.Years = append(v.Years, y)
				break
			}
		}
	}
	sort.Ints(v.Years)
	v.Year = year
	if v.Year == 0 && len(v.Years) > 0 {
		v.Year = v.Years[len(v.Years)-1]
	}
	rank := make([]RankRow, 0, len(codes))
	byCode := map[string]CandidateRow{}
	for _, c := range codes {
		r, _ := env.Regions.Get(c)
		row := CandidateRow{Code: c, Name: r.Name, County: env.Regions.Name(r.CountyCode)}
		row.IndustrialShare, row.ShareSource, row.Sources = share(c, v.Year)
		row.Population = ptr(tabs[domain.IndicatorPopulation].Value(c, v.Year))
		row.StateShare = ptr(tabs[IndicatorStateShare].Value(c, v.Year))
		byCode[c] = row
		rank = append(rank, RankRow{Code: c, Name: r.Name, Value: row.IndustrialShare})
		v.Sources = mergeSources(v.Sources, row.Sources)
	}
	rankRows(rank)
	for _, rr := range rank {
		row := byCode[rr.Code]
		row.Rank = rr.Rank
		v.Rows = append(v.Rows, row)
	}
	var list []float64
	for _, c := range env.Members {
		if s, _, _ := share(c, v.Year); s != nil {
			list = append(list, *s)
		}
	}
	if st, ok := derive.StatsOf(list); ok {
		v.NetworkMedian = &st.Median
		v.MedianNote = Aggregate{N: st.N, Of: len(env.Members)}.CountNote()
	}
	for _, id := range []string{domain.IndicatorPopulation, IndicatorStateShare} {
		v.Sources = mergeSources(v.Sources, tabs[id].Sources(codes, map[int]bool{v.Year: true}))
	}
	return v, nil
}

// metroCodes is the municipalities of Kolada's metropolitan groups, and a
// line per group for the page. A group missing from Kolada's list is an
// error: without it the page would recommend metropolitan municipalities.
func metroCodes(set *groups.Set) (map[string]bool, []string, error) {
	out := map[string]bool{}
	var lines []string
	for _, title := range MetroGroups {
		g, ok := set.ByTitle(title)
		if !ok {
			return nil, nil, domain.Errorf(domain.CodeUnavailable, "Koladas kommungrupp "+title+" saknas, så storstadsregionerna kan inte räknas bort.", nil)
		}
		for _, c := range g.Members {
			out[c] = true
		}
		lines = append(lines, strings.TrimSuffix(g.Title, " (ovägt medel)")+" ("+g.ID+", "+strconv.Itoa(len(g.Members))+" kommuner)")
	}
	return out, lines, nil
}

// Room is how many more members the network's cap allows.
func (v *CandidatesView) Room() int { return max(MaxMembers-v.Members, 0) }

// MaxMembers is the network's cap, for the page.
func (v *CandidatesView) MaxMembers() int { return MaxMembers }

// ViewYear is the year the view shows (the server's one-year pages name
// their downloads by it).
func (v *CandidatesView) ViewYear() int { return v.Year }

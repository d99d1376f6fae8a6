package report

// Group keys a page accepts in its grupp parameter besides a Kolada group
// id. The network is the default.
const (
	GroupNetwork       = "natverk"
	GroupCounty        = "lan"
	GroupSimilar       = "liknande"
	GroupSimilarLabour = "liknande-arbetsmarknad"
)

// Group is the set of municipalities a page ranks a municipality among
// and takes its median and mean over: the network's members, the
// municipality's county, or a Kolada group. Every aggregate on a page
// names its group and how many of the group's members it counted.
type Group struct {
	Key    string   // the grupp parameter value ("natverk", "lan", a Kolada id, ...)
	Name   string   // e.g. "Svenska Industrikommuner", "Blekinge län"
	Codes  []string // the group's municipalities, in display order
	Source string   // where the membership comes from, for the page's note
}

// Has reports whether code belongs to the group.
func (g Group) Has(code string) bool {
	for _, c := range g.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// IsNetwork reports whether the group is the network itself.
func (g Group) IsNetwork() bool { return g.Key == "" || g.Key == GroupNetwork }

// Network is the network's member group.
func (e *Env) Network() Group {
	return Group{Key: GroupNetwork, Name: e.NetworkName, Codes: e.Members, Source: "nätverkets medlemslista"}
}

// orNetwork is g, or the network when g is empty (views called without a
// group compare with the network, as before groups existed).
func (e *Env) orNetwork(g Group) Group {
	if len(g.Codes) == 0 {
		return e.Network()
	}
	return g
}

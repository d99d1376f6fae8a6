package kolada

// DefaultBaseURL is Kolada's v3 API (v2 is being retired).
const DefaultBaseURL = "https://api.kolada.se/v3"

// DefaultFrom is the first year asked for when a KPI sets none: Kolada
// needs the years spelled out in the path.
const DefaultFrom = 2000

// MaxListItems is how many ids or years Kolada takes in one path segment.
const MaxListItems = 25

package scb

import (
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// DefaultBaseURL is PxWebApi 2.0 of Statistikdatabasen.
const DefaultBaseURL = "https://statistikdatabasen.scb.se/api/v2"

// Limits SCB publishes in /config (recorded 2025: 150,000 cells, 30 calls
// per 10 s). They are used when /config cannot be read.
const (
	DefaultMaxCells   = 150_000
	DefaultMaxCalls   = 30
	DefaultTimeWindow = 10 * time.Second
)

// RegionVar is the variable that holds riket, län and kommun in every SCB
// table this collector reads.
const RegionVar = config.SCBRegionVar

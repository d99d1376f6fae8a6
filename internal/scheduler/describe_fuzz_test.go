package scheduler

import (
	"strings"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
)

// FuzzDescribeSpec: DescribeSpec never panics, never returns an empty
// string for a spec, and only puts into words what cron itself accepts
// (without a zone prefix, whose validity DescribeSpec does not check), so
// the admin page never paraphrases a spec cron would refuse.
func FuzzDescribeSpec(f *testing.F) {
	for _, seed := range []string{
		"CRON_TZ=Europe/Stockholm 0 4 2 * *", "CRON_TZ=Europe/Stockholm 30 4 2 * *", // the shipped default
		"0 6 * * 1", "0 5 15 3 *", "@monthly", "@every 1h30m", "*/5 * * * *", "TZ=UTC 15 3 * * *", "0 6 * * 7", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		got := DescribeSpec(spec)
		if strings.TrimSpace(spec) != "" && got == "" {
			t.Fatalf("DescribeSpec(%q) is empty", spec)
		}
		trimmed := strings.TrimSpace(spec)
		if got == trimmed || strings.Contains(trimmed, "TZ=") {
			return
		}
		if _, err := config.CronParser.Parse(trimmed); err != nil {
			t.Fatalf("DescribeSpec(%q) = %q, but cron refuses the spec: %v", spec, got, err)
		}
	})
}

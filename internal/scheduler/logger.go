package scheduler

import (
	"log/slog"

	"github.com/robfig/cron/v3"
)

// cronLogger sends cron's messages to slog. cron reports every wake-up at
// Info, which is noise in an operator's log, so those go to Debug; a skip
// (SkipIfStillRunning) and a recovered panic are what an operator needs.
type cronLogger struct{ log *slog.Logger }

var _ cron.Logger = cronLogger{}

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.log.Info("scheduled run skipped: the previous run of this source is still going", kv...)
		return
	}
	l.log.Debug("cron: "+msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}

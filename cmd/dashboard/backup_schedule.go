package main

import (
	"context"

	"github.com/robfig/cron/v3"

	"github.com/svenskaindustrikommuner/dashboard/config"
	backups "github.com/svenskaindustrikommuner/dashboard/internal/backup"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock"
	"github.com/svenskaindustrikommuner/dashboard/internal/metrics"
	"github.com/svenskaindustrikommuner/dashboard/internal/scheduler"
	"github.com/svenskaindustrikommuner/dashboard/internal/server"
	"github.com/svenskaindustrikommuner/dashboard/internal/store"
)

// backupSchedule runs the backup.schedule job inside serve and shows its
// state to the sources page (server.Backups).
type backupSchedule struct {
	job  *backups.Job
	cron *cron.Cron
	id   cron.EntryID
	spec string
}

// startBackups starts scheduled backups when backup.schedule is set; nil
// when it is not. config.Validate has refused a schedule on PostgreSQL.
func (a *app) startBackups(ctx context.Context, reg *metrics.Registry) (*backupSchedule, error) {
	spec := a.cfg.Backup.Schedule
	path, ok := store.SQLitePath(a.cfg.DatabaseURLOrDefault())
	if spec == "" || !ok {
		return nil, nil
	}
	b := &backupSchedule{job: backups.NewJob(a.store.DB(), path, a.cfg.Backup.Keep, a.clock, a.log, reg), spec: spec}
	b.cron = cron.New(cron.WithParser(config.CronParser), cron.WithLocation(clock.Stockholm),
		cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	id, err := b.cron.AddFunc(spec, func() { _ = b.job.Run(ctx) }) // Run logs and records its outcome
	if err != nil {
		return nil, err
	}
	b.id = id
	b.cron.Start()
	a.log.Info("scheduled backups", "schedule", spec, "keep", a.cfg.Backup.Keep, "next", b.cron.Entry(id).Next)
	return b, nil
}

// stop waits for a backup in progress to end.
func (b *backupSchedule) stop() {
	if b != nil {
		<-b.cron.Stop().Done()
	}
}

// BackupStatus implements server.Backups.
func (b *backupSchedule) BackupStatus() server.BackupInfo {
	st := b.job.Status()
	return server.BackupInfo{Spec: b.spec, Schedule: scheduler.DescribeSpec(b.spec), Next: b.cron.Entry(b.id).Next,
		Keep: st.Keep, Dir: st.Dir, LastAt: st.Last.At, LastFile: st.Last.File, LastError: st.Last.Err, LastSuccess: st.LastSuccess}
}

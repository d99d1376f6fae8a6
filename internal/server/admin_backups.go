package server

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Backups is what the sources page shows of the scheduled backups of the
// SQLite store. cmd adapts the backup job to it, so the server does not
// import the store's file handling.
type Backups interface {
	BackupStatus() BackupInfo
}

// BackupInfo is the schedule and the last outcome.
type BackupInfo struct {
	Spec     string // cron spec from backup.schedule
	Schedule string // the spec in Swedish words
	Next     time.Time
	Keep     int
	Dir      string
	// LastAt is zero before the first attempt; LastError is empty when it
	// wrote LastFile.
	LastAt      time.Time
	LastFile    string
	LastError   string
	LastSuccess time.Time
}

// backupView is the page's section on backups.
type backupView struct {
	Enabled                   bool
	Spec, Schedule, Next, Dir string
	Keep                      string
	Last                      string
	Failed                    bool
}

func (s *Server) backupView() backupView {
	if s.deps.Backups == nil {
		return backupView{}
	}
	in := s.deps.Backups.BackupStatus()
	v := backupView{Enabled: true, Spec: in.Spec, Schedule: in.Schedule, Dir: in.Dir, Keep: strconv.Itoa(in.Keep)}
	if !in.Next.IsZero() {
		v.Next = localTime(in.Next)
	}
	switch {
	case in.LastAt.IsZero():
		v.Last = "Ingen säkerhetskopia tagen sedan start."
	case in.LastError == "":
		v.Last = "Skrevs " + localTime(in.LastAt) + " (svensk tid): " + filepath.Base(in.LastFile) + "."
	default:
		v.Failed = true
		v.Last = "Misslyckades " + localTime(in.LastAt) + " (svensk tid): " + strings.TrimPrefix(in.LastError, "backup: ") + "."
		if !in.LastSuccess.IsZero() {
			v.Last += " Senaste lyckade: " + localTime(in.LastSuccess) + "."
		} else {
			v.Last += " Ingen har lyckats sedan start."
		}
	}
	return v
}

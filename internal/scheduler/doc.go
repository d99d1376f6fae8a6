// Package scheduler runs the open-data collectors on their cron schedules
// and by hand, and turns each run into one write to the store with a run
// record beside it. Each table (SCB) or request (Kolada) of a run lands
// whole or not at all, so one failing table never keeps the others out.
//
// A run of a source:
//
//  1. takes the lease "collect:<source>" (several instances may share one
//     database; the lease makes one of them do the work, and it is renewed
//     while the run goes on);
//  2. records the start (RunStore.StartRun) and reads the table stamps of
//     the last successful run;
//  3. calls the collector, retrying the whole collection with exponential
//     backoff when it fails or every table failed (the collectors already
//     retry single requests);
//  4. checks every table's observations against the catalogue and the
//     region list, against the cells earlier tables gave, and with
//     Config.TableCheck (plausibility): a table that fails is left out;
//  5. hands the other tables' observations and stamps to the store in ONE
//     Apply;
//  6. records the outcome per table (Run.Tables) and for the run:
//     succeeded, partial ("delvis": some tables failed), failed (with a
//     Swedish message and the technical detail), or skipped when every
//     table was unchanged.
//
// Scheduled runs additionally claim the tick with the lease
// "schedule:<source>", held for Config.ScheduleHold after the tick: the
// instance whose cron fires first does the month's run, and the others,
// firing a moment later, log "skipped: another instance runs it" and record
// nothing. An instance that finds a run going on elsewhere does the same;
// a run by hand (RunNow, Trigger) there gets a CodeConflict error instead.
//
// A run recorded as running whose instance died is closed as failed by the
// next run of its source, which holds the lease and so knows it is not
// really going.
//
// Run-level retries (Retry) use the injected Clock, as does lease expiry;
// lease renewal ticks on the wall clock.
package scheduler

// Package devices processes Mews device commands for lock vendors: when the front desk
// asks Mews to cut a key, Mews creates a key-cutter command, and a Processor hands it
// to your Func and reports it back.
//
// A Processor learns of commands from DeviceCommand events (Notify) and, as the
// fallback for lost events and a closed socket, by polling commands/getAllActive
// (Run, every 30 s, and at once after every reconnect through Resync). It hands each
// key-cutter command to your Func at most once per process, even when an event and a
// poll deliver it together, and moves it Received → Processing (Job.Progress adds
// progress) → Processed with your notes, or Error with your error's message. Commands
// for other devices are left untouched. When Mews cancels a command, its Func's
// context ends.
//
// Mews lists only Pending and Received commands as active, so a command left in
// Processing by a crash would never come back. The Processor therefore records every
// command it starts in a Journal (WithJournal; DirJournal survives a crash) and, on
// every poll, reads the unfinished ones back. A command still in Processing that this
// process is not working on was interrupted, and the Interrupted rule applies:
// FailInterrupted (the default) moves it to Error with a note asking the front desk to
// cut the key again, so that no key is cut twice without a person deciding;
// ResumeInterrupted hands it to the Func again with Job.Resumed set. A final update
// that fails is tried again at every poll, without calling the Func again; one still
// failing when the process ends leaves the command to the next process's rule.
//
// Example, a lock vendor's key-cutter service sharing the hotel's one socket:
//
//	proc, err := devices.New(devices.Over(hotel), func(ctx context.Context, job *devices.Job) (string, error) {
//		if err := encoder.Cut(ctx, job.KeyCutter.LockIDs, job.KeyCutter.StartUtc, job.KeyCutter.EndUtc, job.KeyCutter.KeyCount); err != nil {
//			return "", err // the command ends in Error with this message
//		}
//		return fmt.Sprintf("%d keys cut", job.KeyCutter.KeyCount), nil
//	}, devices.WithJournal(journal))
//	if err != nil {
//		return err
//	}
//	defer proc.Close()
//	go proc.Run(ctx)
//	ev, err := events.New(hotel, events.WithResync(proc.Resync))
//	if err != nil {
//		return err
//	}
//	defer ev.Close()
//	for e, err := range ev.Events(ctx) {
//		if err != nil {
//			return err
//		}
//		proc.Notify(e)
//	}
package devices

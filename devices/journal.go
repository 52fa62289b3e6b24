package devices

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Journal remembers the commands a Processor started and has not finished. Mews lists
// only Pending and Received commands as active, so a command left in Processing by a
// process that crashed is found again only through the journal: the next Processor
// reads it back with commands/getAllByIds and applies its Interrupted rule. A journal
// belongs to one Processor at a time.
type Journal interface {
	// Begin records that the command is about to be processed.
	Begin(ctx context.Context, commandID string) error
	// End forgets it: its final state reached Mews, or it needs no more work.
	End(ctx context.Context, commandID string) error
	// Unfinished lists the commands begun and not ended.
	Unfinished(ctx context.Context) ([]string, error)
}

// MemoryJournal is a Journal in memory, the default. It recovers a command whose final
// update failed within the process, but not across a crash: use DirJournal for that.
func MemoryJournal() Journal { return &memoryJournal{ids: make(map[string]bool)} }

type memoryJournal struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (j *memoryJournal) Begin(_ context.Context, id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ids[id] = true
	return nil
}

func (j *memoryJournal) End(_ context.Context, id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.ids, id)
	return nil
}

func (j *memoryJournal) Unfinished(context.Context) ([]string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	ids := make([]string, 0, len(j.ids))
	for id := range j.ids {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// DirJournal is a Journal kept as one empty file per unfinished command in dir, which
// it creates. It survives a crash of the process; give each Processor its own dir.
func DirJournal(dir string) (Journal, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, invalid("DirJournal", "needs a directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return dirJournal(dir), nil
}

type dirJournal string

// file is the journal's file for a command id; ids are GUIDs, anything else is refused.
func (d dirJournal) file(id string) (string, error) {
	if id == "" || strings.ContainsFunc(id, func(r rune) bool {
		return !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return "", invalid("command id", "is not a GUID")
	}
	return filepath.Join(string(d), id+".cmd"), nil
}

func (d dirJournal) Begin(_ context.Context, id string) error {
	name, err := d.file(id)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d dirJournal) End(_ context.Context, id string) error {
	name, err := d.file(id)
	if err != nil {
		return err
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (d dirJournal) Unfinished(context.Context) ([]string, error) {
	entries, err := os.ReadDir(string(d))
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".cmd"); ok && !e.IsDir() {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

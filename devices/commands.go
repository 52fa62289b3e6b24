package devices

import (
	"context"
	"encoding/json"
	"time"
)

// State is a command's state in Mews.
type State string

// Command states. Pending and Received commands are active (commands/getAllActive);
// Processed, Cancelled and Error are final.
const (
	Pending    State = "Pending"    // created in Mews, not yet received
	Received   State = "Received"   // received by the integration
	Processing State = "Processing" // being processed
	Processed  State = "Processed"  // done
	Cancelled  State = "Cancelled"  // canceled in Mews before or during processing
	Error      State = "Error"      // failed
)

// final reports whether a command in state s can change no more.
func (s State) final() bool { return s == Processed || s == Cancelled || s == Error }

// KeyCutterType is the Device.Type of key cutters, the only commands a Processor hands on.
const KeyCutterType = "KeyCutter"

// Command is a device command as Mews returns it.
type Command struct {
	ID         string
	State      State
	CreatedUtc time.Time
	Device     Device
	// Data is the command's data, whose shape depends on Device.Type; a Job decodes a
	// key cutter's into KeyCutter.
	Data json.RawMessage
}

// Device is the device a command is for.
type Device struct {
	ID   string
	Name string
	Type string // Printer, PaymentTerminal, KeyCutter, FiscalMachine or PassportScanner
}

// KeyCutter is the data of a key-cutter command: which locks the key opens, when,
// and for whom.
type KeyCutter struct {
	KeyCount          int       `json:"KeyCount"`
	LockIDs           []string  `json:"LockIds"` // the locks (rooms) the key opens
	StartUtc          time.Time `json:"StartUtc"`
	EndUtc            time.Time `json:"EndUtc"`
	FirstName         string    `json:"FirstName"`
	LastName          string    `json:"LastName"`
	Email             string    `json:"Email"`
	Telephone         string    `json:"Telephone"`
	ReservationID     string    `json:"ReservationId"`
	ReservationNumber string    `json:"ReservationNumber"`
	KeyCutterID       string    `json:"KeyCutterId"`
	KeyCutterData     string    `json:"KeyCutterData"` // the property's custom JSON for the key cutter
	APIURL            string    `json:"ApiUrl"`
}

// Update is one commands/update: a new state, with Progress (only with Processing)
// and Notes (only with Processed, Cancelled or Error).
type Update struct {
	CommandID string
	State     State
	Progress  *float64
	Notes     *string
}

// Commands is the Connector calls a Processor makes: commands/getAllActive,
// commands/getAllByIds and commands/update. Over returns the one over the generated
// connector operations; stub it to test your Func against failures.
type Commands interface {
	Active(ctx context.Context) ([]Command, error)
	ByIDs(ctx context.Context, ids []string) ([]Command, error)
	Update(ctx context.Context, u Update) error
}

package mewstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// Seeded devices of the hotel (devices/getAll). Only the key cutter receives commands
// from the server itself; tests add commands for the printer to see what a processor
// does with a device it does not drive.
const (
	// KeyCutterID is the hotel's key cutter, linked to the integration.
	KeyCutterID = "4e7c0770-0000-4000-8000-000000000001"
	// PrinterID is the hotel's front-desk printer.
	PrinterID = "4e7c0770-0000-4000-8000-000000000002"
)

// Device is a device of the hotel: Printer, PaymentTerminal, KeyCutter, FiscalMachine
// or PassportScanner.
type Device struct {
	ID           string
	EnterpriseID string
	Name         string
	Type         string
}

// Command is a device command, reduced to what tests steer; the server renders Mews'
// Command from it. Key-cutter commands carry the key's data; other devices' commands
// carry Data verbatim.
type Command struct {
	ID           string
	EnterpriseID string
	DeviceID     string
	State        string // Pending, Received, Processing, Processed, Cancelled or Error
	CreatedUtc   time.Time
	// Key-cutter data: the reservation the key is for, its rooms' locks and stay.
	ReservationID     string
	ReservationNumber string
	KeyCount          int
	LockIDs           []string
	StartUtc, EndUtc  time.Time
	LastName          string
	// Data is the command data of a command for another device type.
	Data json.RawMessage
	// Updates are the commands/update calls accepted for it, in order.
	Updates []CommandUpdate
}

// CommandUpdate is one accepted commands/update.
type CommandUpdate struct {
	State    string
	Progress *float64
	Notes    *string
	Time     time.Time
}

// deviceState is the hotel's devices and commands, behind Server.mu.
type deviceState struct {
	seeded   bool
	devices  []Device
	commands []*Command
	index    map[string]*Command
}

// commandStates are Mews' command states; the last three are final.
var commandStates = []string{"Pending", "Received", "Processing", "Processed", "Cancelled", "Error"}

func finalCommandState(state string) bool {
	return state == "Processed" || state == "Cancelled" || state == "Error"
}

// registerDevices installs devices/getAll and the commands operations.
func (s *Server) registerDevices() {
	s.connectorOps["devices/getAll"] = s.devicesGetAll
	s.connectorOps["commands/getAllActive"] = s.commandsGetAllActive
	s.connectorOps["commands/getAllByIds"] = s.commandsGetAllByIDs
	s.connectorOps["commands/update"] = s.commandsUpdate
	s.connectorOps["commands/addKeyCutter"] = s.commandsAddKeyCutter
}

// deviceData returns the devices and commands, seeding them first. Caller holds s.mu.
func (s *Server) deviceData() *deviceState {
	d := &s.devices
	if !d.seeded {
		d.seeded = true
		d.index = make(map[string]*Command)
		d.devices = []Device{
			{ID: KeyCutterID, EnterpriseID: EnterpriseID, Name: "Front desk key cutter", Type: "KeyCutter"},
			{ID: PrinterID, EnterpriseID: EnterpriseID, Name: "Front desk printer", Type: "Printer"},
		}
	}
	return d
}

// Devices returns the hotel's devices.
func (s *Server) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deviceData().devices)
}

// AddKeyCutterCommand queues a key to cut for a reservation on KeyCutterID, as the
// front desk does in Mews, and sends its DeviceCommand event (Pending). The lock ids
// are the names of the reservation's room. It reports false when the reservation does
// not exist.
func (s *Server) AddKeyCutterCommand(reservationID string, keyCount int) (Command, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd, ok := s.addKeyCutterCommand(KeyCutterID, reservationID, keyCount)
	if !ok {
		return Command{}, false
	}
	return cmd.clone(), true
}

// addKeyCutterCommand stores a Pending key-cutter command. Caller holds s.mu.
func (s *Server) addKeyCutterCommand(deviceID, reservationID string, keyCount int) (*Command, bool) {
	r, ok := s.connectorData().resIndex[reservationID]
	if !ok {
		return nil, false
	}
	cmd := &Command{
		EnterpriseID: r.EnterpriseID, DeviceID: deviceID, State: "Pending", CreatedUtc: time.Now().UTC(),
		ReservationID: r.ID, ReservationNumber: r.Number, KeyCount: keyCount,
		StartUtc: r.ScheduledStartUtc, EndUtc: r.ScheduledEndUtc, LastName: "Guest " + r.Number,
	}
	for _, room := range s.connectorData().rooms {
		if room.ID == r.RoomID {
			cmd.LockIDs = append(cmd.LockIDs, room.Name)
		}
	}
	s.storeCommand(cmd)
	return cmd, true
}

// AddCommand stores a command as given (the id, enterprise, state and creation time
// default to a new id, EnterpriseID, Pending and the server's clock) and sends its
// DeviceCommand event. Use it for commands in any state, or for other devices.
func (s *Server) AddCommand(c Command) Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd := c.clone()
	s.storeCommand(&cmd)
	return cmd.clone()
}

// storeCommand fills a command's defaults, stores it and sends its event. Caller holds s.mu.
func (s *Server) storeCommand(cmd *Command) {
	d := s.deviceData()
	s.connectorData().fillID(&cmd.ID)
	orDefault(&cmd.EnterpriseID, EnterpriseID)
	orDefault(&cmd.State, "Pending")
	if cmd.CreatedUtc.IsZero() {
		cmd.CreatedUtc = time.Now().UTC()
	}
	d.commands = append(d.commands, cmd)
	d.index[cmd.ID] = cmd
	s.notifyCommand(cmd)
}

// UpdateCommand changes a command with fn, as Mews does when the front desk cancels
// one, and sends its DeviceCommand event. It reports whether the command exists.
func (s *Server) UpdateCommand(id string, fn func(*Command)) (Command, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd, ok := s.deviceData().index[id]
	if !ok {
		return Command{}, false
	}
	fn(cmd)
	cmd.ID = id
	s.notifyCommand(cmd)
	return cmd.clone(), true
}

// Command returns one command by id.
func (s *Server) Command(id string) (Command, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd, ok := s.deviceData().index[id]
	if !ok {
		return Command{}, false
	}
	return cmd.clone(), true
}

// Commands returns a copy of every command, oldest first.
func (s *Server) Commands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Command, 0, len(s.deviceData().commands))
	for _, c := range s.deviceData().commands {
		out = append(out, c.clone())
	}
	return out
}

func (c *Command) clone() Command {
	out := *c
	out.LockIDs = slices.Clone(c.LockIDs)
	out.Data = slices.Clone(c.Data)
	out.Updates = slices.Clone(c.Updates)
	return out
}

// notifyCommand sends the DeviceCommand event of a change. Caller holds s.mu.
func (s *Server) notifyCommand(cmd *Command) {
	s.broadcast(cmd.EnterpriseID, WebSocketEvent{Type: "DeviceCommand", ID: cmd.ID, State: cmd.State})
}

// device finds a device by id. Caller holds s.mu.
func (d *deviceState) device(id string) (Device, bool) {
	for _, dev := range d.devices {
		if dev.ID == id {
			return dev, true
		}
	}
	return Device{}, false
}

// deviceWire is Mews' Device.
type deviceWire struct {
	Id, Name, Type string
	Identifier     *string
}

// commandWire is Mews' Command.
type commandWire struct {
	Id, State  string
	CreatedUtc time.Time
	Creator    *struct{ FirstName, LastName string }
	Device     deviceWire
	Data       any
}

// keyCutterDataWire is Mews' key cutter command data.
type keyCutterDataWire struct {
	KeyCutterId                      *string
	ApiUrl, KeyCutterData            *string
	KeyCount                         int
	LockIds                          []string
	StartUtc, EndUtc                 time.Time
	FirstName                        *string
	LastName                         string
	NormalizedFirstName              *string
	NormalizedLastName               *string
	Telephone, Email                 *string
	ReservationId, ReservationNumber *string
}

// wire renders a command as Mews does. Caller holds s.mu.
func (d *deviceState) wire(c *Command) commandWire {
	dev, _ := d.device(c.DeviceID)
	w := commandWire{
		Id: c.ID, State: c.State, CreatedUtc: c.CreatedUtc.UTC(),
		Creator: &struct{ FirstName, LastName string }{"Front", "Desk"},
		Device:  deviceWire{Id: dev.ID, Name: dev.Name, Type: dev.Type},
	}
	if dev.Type != "KeyCutter" {
		w.Data = json.RawMessage(c.Data)
		if len(c.Data) == 0 {
			w.Data = struct{}{}
		}
		return w
	}
	lockIDs := c.LockIDs
	if lockIDs == nil {
		lockIDs = []string{}
	}
	w.Data = keyCutterDataWire{
		KeyCutterId: strOrNil(dev.ID), KeyCount: c.KeyCount, LockIds: lockIDs,
		StartUtc: c.StartUtc.UTC(), EndUtc: c.EndUtc.UTC(), LastName: c.LastName,
		ReservationId: strOrNil(c.ReservationID), ReservationNumber: strOrNil(c.ReservationNumber),
	}
	return w
}

// devicesGetAll serves devices/getAll.
func (s *Server) devicesGetAll(req *Request) (any, error) {
	var in struct{ auth }
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	scope := inScope(req.EnterpriseID, nil)
	out := struct{ Devices []deviceWire }{Devices: []deviceWire{}}
	for _, dev := range s.deviceData().devices {
		if scope[dev.EnterpriseID] {
			out.Devices = append(out.Devices, deviceWire{Id: dev.ID, Name: dev.Name, Type: dev.Type})
		}
	}
	return out, nil
}

// commandsResult is Mews' DeviceCommandResult.
type commandsResult struct {
	Commands []commandWire
	Cursor   *string
}

// commandsGetAllActive serves commands/getAllActive: Pending and Received commands only.
func (s *Server) commandsGetAllActive(req *Request) (any, error) {
	var in struct{ auth }
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deviceData()
	scope := inScope(req.EnterpriseID, nil)
	out := commandsResult{Commands: []commandWire{}}
	for _, c := range d.commands {
		if scope[c.EnterpriseID] && (c.State == "Pending" || c.State == "Received") {
			out.Commands = append(out.Commands, d.wire(c))
		}
	}
	return out, nil
}

// commandsGetAllByIDs serves commands/getAllByIds.
func (s *Server) commandsGetAllByIDs(req *Request) (any, error) {
	var in struct {
		auth
		CommandIds []string
		Limitation *limitation
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if len(in.CommandIds) == 0 {
		return nil, badRequest("CommandIds", "at least one is required.")
	}
	if err := checkIDs("CommandIds", in.CommandIds, 1000); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deviceData()
	scope := inScope(req.EnterpriseID, nil)
	out := commandsResult{Commands: []commandWire{}}
	for _, id := range in.CommandIds {
		if c, ok := d.index[id]; ok && scope[c.EnterpriseID] {
			out.Commands = append(out.Commands, d.wire(c))
		}
	}
	return out, nil
}

// commandsUpdate serves commands/update. A command in a final state cannot change any
// more (403, as a business-logic check in Mews).
func (s *Server) commandsUpdate(req *Request) (any, error) {
	var in struct {
		auth
		CommandId string
		State     string
		Progress  *float64
		Notes     *string
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if !slices.Contains(commandStates, in.State) {
		return nil, badRequest("State", "unknown state "+in.State+".")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.deviceData().index[in.CommandId]
	if !ok || !inScope(req.EnterpriseID, nil)[c.EnterpriseID] {
		return nil, badRequest("CommandId", "no command "+in.CommandId+".")
	}
	if finalCommandState(c.State) {
		return nil, ConnectorError(http.StatusForbidden, "The command is already "+c.State+".")
	}
	c.State = in.State
	c.Updates = append(c.Updates, CommandUpdate{State: in.State, Progress: in.Progress, Notes: in.Notes, Time: req.Time})
	s.notifyCommand(c)
	return struct{}{}, nil
}

// commandsAddKeyCutter serves commands/addKeyCutter.
func (s *Server) commandsAddKeyCutter(req *Request) (any, error) {
	var in struct {
		auth
		EnterpriseId  *string
		KeyCutterId   string
		ReservationId string
		KeyCount      int
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if in.KeyCount < 1 {
		return nil, badRequest("KeyCount", "must be at least 1.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	scope := inScope(req.EnterpriseID, nil)
	if in.EnterpriseId != nil && req.EnterpriseID == PortfolioID {
		scope = inScope(req.EnterpriseID, []string{*in.EnterpriseId})
	}
	dev, ok := s.deviceData().device(in.KeyCutterId)
	if !ok || dev.Type != "KeyCutter" || !scope[dev.EnterpriseID] {
		return nil, badRequest("KeyCutterId", "no key cutter "+in.KeyCutterId+".")
	}
	if r, ok := s.connectorData().resIndex[in.ReservationId]; !ok || !scope[r.EnterpriseID] {
		return nil, badRequest("ReservationId", "no reservation "+in.ReservationId+".")
	}
	cmd, _ := s.addKeyCutterCommand(dev.ID, in.ReservationId, in.KeyCount)
	return struct{ CommandId string }{cmd.ID}, nil
}

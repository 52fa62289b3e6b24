package devices

import (
	"context"

	"github.com/mewskit/mews-go/connector"
)

// Over returns the Commands of a connection, over the generated connector operations
// (commands/getAllActive, commands/getAllByIds, commands/update).
func Over(conn connector.Caller) Commands { return over{conn} }

type over struct{ h connector.Caller }

func (o over) Active(ctx context.Context) ([]Command, error) {
	res, err := connector.GetAllActiveCommands(ctx, o.h, connector.GetAllActiveCommandsParameters{})
	if err != nil {
		return nil, err
	}
	return commands(res), nil
}

func (o over) ByIDs(ctx context.Context, ids []string) ([]Command, error) {
	res, err := connector.GetAllByIDsCommands(ctx, o.h, connector.DeviceCommandFilterParameters{CommandIDs: ids})
	if err != nil {
		return nil, err
	}
	return commands(res), nil
}

func (o over) Update(ctx context.Context, u Update) error {
	_, err := connector.UpdateCommands(ctx, o.h, connector.DeviceCommandUpdateParameters{
		CommandID: u.CommandID, State: connector.DeviceCommandStateEnum(u.State), Progress: u.Progress, Notes: u.Notes,
	})
	return err
}

// commands converts a generated result into this package's Commands.
func commands(res *connector.DeviceCommandResult) []Command {
	out := make([]Command, len(res.Commands))
	for i, c := range res.Commands {
		out[i] = Command{
			ID: c.ID, State: State(c.State), CreatedUtc: c.CreatedUtc, Data: c.Data,
			Device: Device{ID: c.Device.ID, Name: c.Device.Name, Type: string(c.Device.Type)},
		}
	}
	return out
}

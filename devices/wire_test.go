package devices_test

import (
	"context"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/devices"
)

// overDo is devices.Commands over the connection's pipeline, for the tests only.
type overDo struct{ conn *mews.Connector }

func (o overDo) Active(ctx context.Context) ([]devices.Command, error) {
	var out struct{ Commands []devices.Command }
	err := o.conn.Do(ctx, mews.Operation{Name: "commands/getAllActive", Safety: mews.Read}, struct{}{}, &out)
	return out.Commands, err
}

func (o overDo) ByIDs(ctx context.Context, ids []string) ([]devices.Command, error) {
	var out struct{ Commands []devices.Command }
	err := o.conn.Do(ctx, mews.Operation{Name: "commands/getAllByIds", Safety: mews.Read}, struct{ CommandIds []string }{ids}, &out)
	return out.Commands, err
}

func (o overDo) Update(ctx context.Context, u devices.Update) error {
	in := struct {
		CommandId string
		State     devices.State
		Progress  *float64 `json:",omitempty"`
		Notes     *string  `json:",omitempty"`
	}{u.CommandID, u.State, u.Progress, u.Notes}
	return o.conn.Do(ctx, mews.Operation{Name: "commands/update"}, in, &struct{}{})
}

package connection

import (
	"context"

	mews "github.com/mewskit/mews-go"
)

// TEMPORARY until properties.GetPropertyConfiguration lands.
func propertyName(ctx context.Context, cm *mews.ChannelManager) (string, error) {
	var out struct {
		Property struct {
			Name string `json:"name"`
		} `json:"property"`
	}
	err := cm.Do(ctx, mews.Operation{Name: "getConfiguration", Safety: mews.Read}, struct{}{}, &out)
	return out.Property.Name, err
}

package mews

import "context"

// ConnectorCaller sends one Connector operation through the SDK's pipeline. Every
// Connector operation of this module takes one; *Connector implements it. Stub it in
// your unit tests to answer operations without a server.
type ConnectorCaller interface {
	CallConnector(ctx context.Context, op Operation, in, out any) error
}

// ChannelManagerCaller sends one Channel Manager operation about one connection
// through the SDK's pipeline; *ChannelManager implements it. Stub it in your unit
// tests to answer operations without a server.
type ChannelManagerCaller interface {
	CallChannelManager(ctx context.Context, op Operation, in, out any) error
}

// ChannelManagerClientCaller sends one Channel Manager operation that is about no
// single connection (getProperties, getChannels): only the clientToken is merged.
// *Client implements it.
type ChannelManagerClientCaller interface {
	CallChannelManagerClient(ctx context.Context, op Operation, in, out any) error
}

// The handles implement the interfaces their operations take.
var (
	_ ConnectorCaller            = (*Connector)(nil)
	_ ChannelManagerCaller       = (*ChannelManager)(nil)
	_ ChannelManagerClientCaller = (*Client)(nil)
)

// CallConnector is Do under the name ConnectorCaller requires.
func (cn *Connector) CallConnector(ctx context.Context, op Operation, in, out any) error {
	return cn.Do(ctx, op, in, out)
}

// CallChannelManager is Do under the name ChannelManagerCaller requires.
func (cm *ChannelManager) CallChannelManager(ctx context.Context, op Operation, in, out any) error {
	return cm.Do(ctx, op, in, out)
}

// CallChannelManagerClient is ChannelManagerDo under the name ChannelManagerClientCaller
// requires.
func (c *Client) CallChannelManagerClient(ctx context.Context, op Operation, in, out any) error {
	return c.ChannelManagerDo(ctx, op, in, out)
}

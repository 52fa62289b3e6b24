package mewstest

// channelManagerState holds the seeded Channel Manager data (properties, connections,
// configuration, channels, pushed groups and blocks).
type channelManagerState struct{}

// registerChannelManager installs the built-in Channel Manager operations.
func (s *Server) registerChannelManager() {}

package mewstest

// connectorState holds the seeded Connector data (enterprise configuration, rooms,
// reservations, resource access tokens) and is owned by the Connector operations.
type connectorState struct{}

// registerConnector installs the built-in Connector operations.
func (s *Server) registerConnector() {}

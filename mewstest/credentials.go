package mewstest

import (
	"fmt"
	"strings"
)

// The seeded credentials. They look like Mews tokens but are fake; any other token is
// rejected like an invalid one.
const (
	// ClientToken is the Connector API ClientToken the server accepts.
	ClientToken = "7E57C0DE000000000000000000C11E47-00000000000000000000000000000A1"
	// ClientName is the Connector "Client" value that ClientOptions configures.
	ClientName = "mewstest sandbox 1.0.0"
	// AccessToken connects to the seeded enterprise (EnterpriseID).
	AccessToken = "7E57C0DE000000000000000000AC7E55-00000000000000000000000000000B1"
	// EnterpriseID is the seeded enterprise (hotel) behind AccessToken.
	EnterpriseID = "8c1b7e3a-5d2f-4a6b-9e0c-1f2a3b4c5d6e"
	// EnterpriseName is its name.
	EnterpriseName = "Mewstest Grand Hotel"
	// EnterpriseTimeZone is its IANA time zone.
	EnterpriseTimeZone = "Europe/Amsterdam"

	// ChannelManagerClientToken is the Channel Manager clientToken the server accepts.
	ChannelManagerClientToken = "7E57C0DE0000000000000000000C4A11-00000000000000000000000000000C1"
	// ConnectionToken is an active connection to the seeded property (PropertyID).
	ConnectionToken = "7E57C0DE00000000000000000000C0A1-00000000000000000000000000000D1"
	// DeactivatedConnectionToken belongs to a connection the property switched off:
	// every call with it fails with code 3 (connection not found).
	DeactivatedConnectionToken = "7E57C0DE00000000000000000000C0A2-00000000000000000000000000000D2"
	// PropertyID is the seeded Channel Manager property.
	PropertyID = "mewstest-grand"
	// PropertyName is its name.
	PropertyName = "Mewstest Grand Hotel"
	// EmployeeEmail is a verified employee of the property, for getProperties.
	EmployeeEmail = "frontdesk@mewstest.example"
)

// credential is one access or connection token and what it opens.
type credential struct {
	owner    string // enterprise id (Connector) or property id (Channel Manager)
	revoked  bool   // revoked, expired or integration disabled: 401 / code 8
	inactive bool   // Channel Manager connection deactivated: code 3
}

// seedCredentials installs the seeded tokens.
func (s *Server) seedCredentials() {
	s.clientTokens = map[string]bool{ClientToken: true}
	s.cmClientTokens = map[string]bool{ChannelManagerClientToken: true}
	s.accessTokens = map[string]*credential{AccessToken: {owner: EnterpriseID}}
	s.connections = map[string]*credential{
		ConnectionToken:            {owner: PropertyID},
		DeactivatedConnectionToken: {owner: PropertyID, inactive: true},
	}
}

// newToken makes a fresh, unique, Mews-shaped token.
func (s *Server) newToken(kind string) string {
	s.tokenSeq++
	return fmt.Sprintf("7E57C0DE%s%016X-%031X", strings.Repeat("0", 16-len(kind))+kind, s.tokenSeq, s.tokenSeq)
}

// lookup finds a token among access tokens and connections.
func (s *Server) lookup(token string) *credential {
	if c := s.accessTokens[token]; c != nil {
		return c
	}
	return s.connections[token]
}

// Revoke makes a token fail authentication (Connector 401, Channel Manager code 8), as
// when a property revokes the integration or regenerates its key. It reports whether
// the token was known.
func (s *Server) Revoke(token string) bool {
	return s.change(s.lookup, token, func(c *credential) { c.revoked = true })
}

// Restore undoes Revoke and reactivates a deactivated connection.
func (s *Server) Restore(token string) bool {
	return s.change(s.lookup, token, func(c *credential) { c.revoked, c.inactive = false, false })
}

// Deactivate switches a Channel Manager connection off: calls with it fail with code 3.
func (s *Server) Deactivate(connectionToken string) bool {
	connection := func(t string) *credential { return s.connections[t] }
	return s.change(connection, connectionToken, func(c *credential) { c.inactive = true })
}

// change applies edit to the credential that find returns for token, under the lock,
// and reports whether there was one.
func (s *Server) change(find func(string) *credential, token string, edit func(*credential)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := find(token)
	if c != nil {
		edit(c)
	}
	return c != nil
}

// Rotate regenerates a token, as Mews does when a property creates a new API key: it
// returns a new token for the same enterprise or connection and revokes the old one.
// It returns "" for an unknown token.
func (s *Server) Rotate(oldToken string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.accessTokens[oldToken]; c != nil {
		c.revoked = true
		t := s.newToken("AC7E55")
		s.accessTokens[t] = &credential{owner: c.owner}
		return t
	}
	if c := s.connections[oldToken]; c != nil {
		c.revoked = true
		t := s.newToken("C0A1")
		s.connections[t] = &credential{owner: c.owner}
		return t
	}
	return ""
}

// AddAccessToken returns a new valid Connector AccessToken for an enterprise; for
// example, many tokens to the seeded EnterpriseID for load tests.
func (s *Server) AddAccessToken(enterpriseID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.newToken("AC7E55")
	s.accessTokens[t] = &credential{owner: enterpriseID}
	return t
}

// AddConnection returns a new active Channel Manager connectionToken for a property.
func (s *Server) AddConnection(propertyID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.newToken("C0A1")
	s.connections[t] = &credential{owner: propertyID}
	return t
}

// Package properties describes the hotels (Mews "enterprises") that a Connector
// integration is connected to (an AccessToken, a *mews.Connector):
//
//   - GetConfiguration (configuration/get): the enterprise behind the token — id,
//     name, time zone, currencies, portfolio flag. It is also the health check for a
//     connection: a 401 means the token no longer works. GetEnterpriseConfiguration
//     asks about one hotel of a portfolio token.
//   - ListEnterprises (enterprises/getAll): the hotels of a portfolio token.
//   - ListResources (resources/getAll): rooms and other spaces, with their floor,
//     parent, housekeeping state and activity.
//
// Every operation takes a context, a mews.ConnectorCaller (a *mews.Connector, or a stub
// in your tests), then its input: a params struct for the lists (filters and
// PageSize), the enterprise id for GetEnterpriseConfiguration. One object comes back
// as *T, a listing as a *mews.Pager[T]: range over its All method and the SDK follows
// the cursor and asks for the next page itself.
//
// Example:
//
//	conn, _ := client.Connector(accessToken)
//	cfg, err := properties.GetConfiguration(ctx, conn)
//	if err != nil {
//		return err
//	}
//	fmt.Println(cfg.Enterprise.Name, cfg.Enterprise.TimeZoneIdentifier)
//	for room, err := range properties.ListResources(conn, properties.ListResourcesParams{}).All(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(room.Name, room.Floor())
//	}
package properties

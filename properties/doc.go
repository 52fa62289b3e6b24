// Package properties describes the hotels (Mews "enterprises") that a Connector API
// integration (an AccessToken, a *mews.Connector) is connected to. Channel managers
// read their properties' configuration with package channelmanager instead.
//
//   - GetConfiguration (configuration/get): the enterprise behind the token — id,
//     name, time zone, currencies, portfolio flag. It is also the health check for a
//     connection: a 401 means the token no longer works.
//   - ListEnterprises (enterprises/getAll): the hotels of a portfolio token.
//   - ListResources (resources/getAll): rooms and other spaces, with their floor,
//     parent, housekeeping state and activity.
//
// Lists return a *mews.Pager; range over its All method and the SDK follows the
// cursor and asks for the next page itself.
//
// Example:
//
//	conn, _ := client.Connector(accessToken)
//	cfg, err := properties.GetConfiguration(ctx, conn)
//	if err != nil {
//		return err
//	}
//	fmt.Println(cfg.Enterprise.Name, cfg.Enterprise.TimeZoneIdentifier)
//	for room, err := range properties.ListResources(conn, properties.ResourceFilter{}).All(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(room.Name, room.Floor())
//	}
package properties

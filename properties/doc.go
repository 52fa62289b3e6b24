// Package properties describes the hotels (Mews "enterprises" and Channel Manager
// "properties") that an integration is connected to, on both Mews APIs.
//
// Connector API side (an AccessToken, a *mews.Connector):
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
// Channel Manager API side (a connectionToken, a *mews.ChannelManager): the property's
// configuration as a channel manager sees it — space categories, rates, products — in
// the files named channelmanager*.go.
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

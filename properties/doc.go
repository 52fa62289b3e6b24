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
// Channel Manager API side (a clientToken on the *mews.Client, or a connectionToken on
// a *mews.ChannelManager), for channel managers:
//
//   - GetProperties (getProperties): the properties an employee can access, with the
//     connection tokens of the client's clientToken.
//   - GetPropertyConfiguration (getConfiguration): the property, space categories, rate
//     plans and inventory mappings as a channel manager sees them.
//   - GetChannels (getChannels): every sales channel Mews knows, with its code.
//   - SetInventory (setInventory): REPLACES every rate plan × space category mapping of
//     the connection; an empty list, which deletes them all, needs DeleteAllMappings.
//   - RequestAriUpdate (requestAriUpdate): asks Mews to push availability, prices and
//     restrictions again; the data arrives later at the channel manager's endpoints.
//
// Example, Connector side:
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
//
// Example, Channel Manager side:
//
//	cm, _ := client.ChannelManager(connectionToken)
//	cfg, err := properties.GetPropertyConfiguration(ctx, cm, properties.FullExtent())
//	if err != nil {
//		return err // errors.Is(err, mews.ErrConnectionNotFound): the connection was removed
//	}
//	for _, c := range cfg.SpaceCategories {
//		fmt.Println(c.Code, c.Name)
//	}
package properties

// Package ari covers the Channel Manager API's inventory side on Mews' end: availability
// blocks (group blocks) and the asynchronous confirmations of Mews' availability, price
// and restriction pushes.
//
// A channel manager creates, updates or cancels a block with ProcessAvailabilityBlock
// (posted to the environment's PCI-proxy push URL; Mews confirms later). Blocks that Mews
// pushes to the channel manager's own processAvailabilityBlock endpoint decode into the
// same BlockMessage; answer them with ConfirmAvailabilityBlock. Inventory pushes that the
// channel manager accepted with asyncConfirmation: true are answered with
// ConfirmAvailabilityUpdate, ConfirmPriceUpdate and ConfirmRestrictionUpdate, posted to
// the push's responseUrl when it is a confirmation path on the client's platform address
// (it carries the tokens, and a push can be forged), and to the default path otherwise.
//
// Updates and cancellations of a block, and every confirmation, are retried after a lost
// answer, since repeating them states the same thing; a block creation is not (see
// ProcessAvailabilityBlock).
//
// Dates are mews.Date and money is mews.Amount, so nothing is lost in a round trip.
// In blocks sent to Mews, end dates are exclusive (like a departure date). Mews documents
// the end dates of the blocks it pushes as exclusive too, but its examples write one night
// as start = end; check with Mews which reading your connection gets.
//
// Status, release type and pickup type are decoded case-insensitively (Mews' examples
// write "fixed"); the block status is spelled Created/Updated/Canceled towards Mews and
// Create/Update/Cancel in Mews' pushes, and BlockStatus.IsCreate and friends accept both.
//
//	block := ari.BlockMessage{AvailabilityBlock: ari.AvailabilityBlock{
//		Code: "33", Status: ari.BlockCreated, Name: "Smith wedding",
//		Dates:            ari.BlockDates{Start: mews.NewDate(2024, 12, 5), End: mews.NewDate(2024, 12, 11)},
//		ReleaseStrategy:  &ari.ReleaseStrategy{Type: ari.ReleaseFixed, FixedDate: mews.NewDate(2024, 12, 1)},
//		OriginalRateCode: "FF",
//		SpaceCategories: []ari.BlockSpaceCategory{{SpaceTypeCode: "DBL",
//			AllocatedSpaces: []ari.SpaceCount{{Start: mews.NewDate(2024, 12, 5), End: mews.NewDate(2024, 12, 11), Count: 10}}}},
//		Booker:     &reservations.Customer{FirstName: "John", LastName: "Smith"},
//		PickupType: ari.PickupAllInOneGroup,
//	}}
//	messageID, err := ari.ProcessAvailabilityBlock(ctx, cm, &block)
package channelmanager

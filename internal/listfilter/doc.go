// Package listfilter holds what the list operations of the Connector packages (pins,
// reservations, properties) share and users must not depend on: checking a filter's
// lists against Mews' limits before anything is sent, and multiplying one request into
// the requests that cover a filter (one per time window, one per chunk of ids).
//
//	if err := listfilter.Check(op, listfilter.List{Field: "EnterpriseIds", Items: f.EnterpriseIDs, Max: 1000}); err != nil {
//		return err
//	}
//	reqs, err := listfilter.Windows(op, "UpdatedUtc", []request{base}, f.UpdatedUtc, func(r *request, w *mews.TimeInterval) { r.UpdatedUtc = w })
//	reqs = listfilter.Multiply(reqs, slices.Collect(slices.Chunk(ids, 1000)), func(r *request, c []string) { r.IDs = c })
package listfilter

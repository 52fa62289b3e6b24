// Package benchcmp measures an SDK code path against its raw net/http + encoding/json
// baseline in the same benchmark run, the form the project's speed and memory targets
// take: ratios, not absolute times, so they hold on any machine, with their spread over
// rounds and the wall and CPU time per call. Only benchmarks import it.
//
//	benchcmp.Ratios(b, 100, func() { decodeTyped(data) }, func() { decodeRaw(data) })
package benchcmp

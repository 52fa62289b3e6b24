// Command mews checks Mews connections and reads and writes hotel data from a shell,
// and plays the SDK's whole story against an embedded sandbox.
//
// Install it with
//
//	go install github.com/mewskit/mews-go/mews@latest
//
// and run "mews help" for the commands, the configuration variables and the exit codes,
// which scripts and monitoring may rely on: 0 ok, 1 usage, 2 invalid input (nothing was
// sent), 3 authentication (broken, or connection not found), 4 transient (may pass on
// a retry), 5 rejected by Mews (repeating it will not help).
//
// For example, a cron job that alerts when a hotel's token stops working:
//
//	export MEWS_ENVIRONMENT=production MEWS_CLIENT_TOKEN=… MEWS_ACCESS_TOKEN=…
//	mews check; [ $? -eq 3 ] && alert "the hotel revoked our token"
//
// and the whole story without any configuration:
//
//	mews demo
package main

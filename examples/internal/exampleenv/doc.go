// Package exampleenv gives the examples their client: real Mews when MEWS_ENVIRONMENT
// is set (with the same variables as the mews command), otherwise the embedded mewstest
// sandbox, so that every example runs on a fresh machine with no configuration.
//
// It is only the examples' configuration; in your own code, build the client with
// mews.NewClient and your own settings.
//
//	func main() {
//		os.Exit(exampleenv.Run("quickstart", 30*time.Second, os.Getenv, os.Stderr, func(ctx context.Context, env *exampleenv.Env) error {
//			return run(ctx, env, os.Stdout) // env.Client, env.AccessToken, env.Now()…
//		}))
//	}
package exampleenv

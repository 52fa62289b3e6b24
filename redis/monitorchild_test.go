package redis_test

func runMonitorChild() int { return 2 }

// The L1Watcher module; see README.md (Architecture).

// The RPC module; see README.md (Architecture).

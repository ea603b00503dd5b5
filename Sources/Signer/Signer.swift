// The Signer module; see README.md (Architecture).

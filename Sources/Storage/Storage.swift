// The Storage module; see README.md (Architecture).

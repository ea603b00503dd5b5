/// The change to one account.
public enum AccountChange: Sendable, Equatable {
    /// The account no longer exists (self-destructed, or touched while empty per EIP-161).
    case deleted
    /// The account exists with these values.
    case updated(UpdatedAccount)
}

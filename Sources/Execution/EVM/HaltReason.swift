/// Exceptional halts: all of the frame's gas is consumed and its changes are undone.
public enum HaltReason: String, Sendable, Equatable {
    case outOfGas, stackUnderflow, stackOverflow, invalidJump, invalidOpcode, staticStateChange
    case returnDataOutOfBounds, invalidCodePrefix, codeSizeExceeded, createCollision, callDepthExceeded
    case precompileFailure
    /// A top-level call whose sender cannot pay its value (L1 messages only: a user
    /// transaction's balance is checked before it runs). Its gas is not spent.
    case outOfFunds
}

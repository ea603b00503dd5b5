/// Exceptional halts: all of the frame's gas is consumed and its changes are undone.
public enum HaltReason: String, Sendable, Equatable {
    case outOfGas, stackUnderflow, stackOverflow, invalidJump, invalidOpcode, staticStateChange
    case returnDataOutOfBounds, invalidCodePrefix, codeSizeExceeded, createCollision, callDepthExceeded
    case precompileFailure
}

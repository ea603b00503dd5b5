/// How a frame ended.
struct FrameResult {
    enum Status: Equatable {
        case success
        case revert
        case halt(HaltReason)
    }
    var status: Status
    var gasLeft: Int
    var output: [UInt8]

    var isSuccess: Bool { status == .success }
}

/// Exceptional halts: all of the frame's gas is consumed and its changes are undone.
public enum HaltReason: String, Sendable, Equatable {
    case outOfGas, stackUnderflow, stackOverflow, invalidJump, invalidOpcode, staticStateChange
    case returnDataOutOfBounds, invalidCodePrefix, codeSizeExceeded, createCollision, callDepthExceeded
    case precompileFailure
}

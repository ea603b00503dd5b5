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

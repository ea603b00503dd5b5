/// Static facts about one opcode under a rule set, packed for the dispatch loop.
struct OpcodeInfo {
    var gas: Int
    var pops: Int
    /// The largest stack height before the instruction that leaves room for its pushes.
    var maxStackBefore: Int
    var valid: Bool
}

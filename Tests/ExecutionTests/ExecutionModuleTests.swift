import Testing
@testable import Execution

@Suite struct ExecutionModuleTests {
    @Test func failedPrecompileResultDiffersFromSuccess() {
        #expect(PrecompileResult.failure != .success(gasUsed: 0, output: []))
    }
}

import Engine
import Primitives
import RPC
import Synchronization

/// Turns the chain's head notifications into ``RPCEvent``s on the RPC layer's hub: a block on
/// top of the last head is `newHead`; a head at or below the last one is a rollback, whose
/// removed blocks are read back by hash (a rollback leaves them readable) from the last head
/// down to the new one.
final class ChainEventPublisher: Sendable {
    private let chain: Chain
    private let hub: RPCEventHub
    private let lastHead: Mutex<SealedBlock>

    init(chain: Chain, hub: RPCEventHub) {
        self.chain = chain
        self.hub = hub
        self.lastHead = Mutex(chain.headBlock)
    }

    /// Registers with the chain; call once.
    func start() {
        chain.onNewHead { [self] block in headChanged(block) }
    }

    /// Called by the chain (on the committing thread) for each new head.
    func headChanged(_ block: SealedBlock) {
        let previous = lastHead.withLock { last -> SealedBlock in
            defer { last = block }
            return last
        }
        if block.header.parentHash == previous.hash || block.number > previous.number {
            hub.publish(.newHead(EngineRPCBackend.rpcBlock(block)))
            return
        }
        var removed: [RPCBlock] = []
        var cursor: SealedBlock? = previous
        while let current = cursor, current.number > block.number {
            removed.append(EngineRPCBackend.rpcBlock(current))
            cursor = try? chain.block(hash: current.header.parentHash)
        }
        hub.publish(.rolledBack(removed: removed.reversed(), head: EngineRPCBackend.rpcBlock(block)))
    }
}

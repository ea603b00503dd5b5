import Execution
import Foundation
import Primitives

/// A chain spec: the L2 chain's identity, genesis, fee rules and L1 settings.
/// The JSON form is documented in docs/chain-spec.md.
public struct ChainSpec: Sendable, Equatable {
    public struct GenesisAccount: Sendable, Equatable {
        public var balance: U256
        public var nonce: UInt64
        /// Runtime code (empty: none).
        public var code: [UInt8]
        /// Storage words (zero words are not stored).
        public var storage: [U256: U256]
        public init(balance: U256, nonce: UInt64 = 0, code: [UInt8] = [], storage: [U256: U256] = [:]) {
            self.balance = balance; self.nonce = nonce; self.code = code; self.storage = storage
        }
    }

    public struct Genesis: Sendable, Equatable {
        public var timestamp: UInt64
        public var gasLimit: UInt64
        public var baseFeePerGas: U256
        public var extraData: [UInt8]
        public var alloc: [Address: GenesisAccount]
    }

    /// EIP-1559 base-fee rules.
    public struct BaseFeeRules: Sendable, Equatable {
        public var elasticityMultiplier: UInt64
        public var changeDenominator: UInt64
        public var minimum: U256
    }

    public struct L1Settings: Sendable, Equatable {
        public var chainID: UInt64
        public var messageQueue: Address
        public var startBlock: UInt64
        /// Where an L1 message's value comes from: `.sender` (Scroll's rule, the default: moved
        /// from the sender's L2 balance) or `.mint` (created on L2, like an OP deposit; the dev
        /// chain's choice). JSON: `l1.messageValue`, `"sender"` or `"mint"`.
        public var messageValue: L1MessageValueSource

        public init(chainID: UInt64, messageQueue: Address, startBlock: UInt64, messageValue: L1MessageValueSource = .sender) {
            self.chainID = chainID; self.messageQueue = messageQueue; self.startBlock = startBlock
            self.messageValue = messageValue
        }
    }

    public var name: String
    public var chainID: UInt64
    public var genesis: Genesis
    public var baseFee: BaseFeeRules
    /// `false` on Scroll: the base fee goes to the fee recipient with the tip.
    public var burnBaseFee: Bool
    /// The EVM's rule set: `nil` is mainnet Cancun (JSON `"evm": "cancun"`, the default), else a
    /// Scroll fork (`"scroll-bernoulli"` … `"scroll-galileo"`, every fork up to it active from genesis).
    public var scrollFork: ScrollFork? = nil
    public var feeRecipient: Address
    public var maxL1MessagesPerBlock: UInt64
    public var l1: L1Settings
    public var authorizedSigner: Address
}

/// What is wrong with a chain spec, naming the file and the field.
public struct ChainSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public var source: String
    public var field: String
    public var problem: String

    public var description: String {
        field.isEmpty ? "chain spec \(source): \(problem)" : "chain spec \(source): \(field): \(problem)"
    }
}

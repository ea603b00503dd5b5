import Primitives
import Storage
@testable import Engine

/// Account state in a dictionary: a value, so each head keeps its own.
struct InMemoryAccountState: AccountStateReader {
    var accounts: [Address: Account] = [:]

    func account(_ address: Address) throws(EngineError) -> Account? { accounts[address] }

    subscript(address: Address) -> Account? {
        get { accounts[address] }
        set { accounts[address] = newValue }
    }
}

/// A reader that always fails, as a broken database would.
struct FailingAccountState: AccountStateReader {
    static let error = EngineError.storage(StorageError(code: .ioError, message: "disk on fire", path: "/data"))
    func account(_ address: Address) throws(EngineError) -> Account? { throw Self.error }
}

/// Keys, transactions and pools for the mempool tests.
enum MempoolFixture {
    static let chainID: UInt64 = 1337
    static let gwei = U256(1_000_000_000)
    static let ether = U256(1_000_000_000_000_000_000)
    static let blockGasLimit: UInt64 = 30_000_000

    static let alice = DevelopmentKeys.privateKey(0)
    static let bob = DevelopmentKeys.privateKey(1)
    static let carol = DevelopmentKeys.privateKey(2)
    /// A plain account that receives transfers.
    static let recipient = try! Address(hex: "0x000000000000000000000000000000000000dEaD")
    /// An account with code.
    static let contract = try! Address(hex: "0x5300000000000000000000000000000000000005")

    /// A deterministic key for index `i` (distinct from the dev keys).
    static func key(_ i: Int) -> PrivateKey {
        try! PrivateKey(bytes: Keccak.hash256(Array("mempool test key \(i)".utf8)).bytes)
    }

    /// Every dev key and `extra` generated keys funded with 1000 ether, plus the contract.
    static func state(funding keys: [PrivateKey] = [alice, bob, carol], balance: U256 = U256(1_000) * ether) -> InMemoryAccountState {
        var state = InMemoryAccountState()
        for key in keys { state[key.address] = Account(nonce: 0, balance: balance) }
        state[contract] = Account(nonce: 1, balance: .zero, codeHash: Keccak.hash256([0x60, 0x00]))
        return state
    }

    static func head(_ state: InMemoryAccountState, baseFee: U256 = .zero, gasLimit: UInt64 = blockGasLimit,
                     timestamp: UInt64 = 0) -> MempoolHead {
        MempoolHead(state: state, baseFee: baseFee, gasLimit: gasLimit, timestamp: timestamp)
    }

    static func pool(_ state: InMemoryAccountState, baseFee: U256 = .zero, globalSlots: Int = 50_000, accountSlots: Int = 1_024,
                     configure: (inout MempoolConfiguration) -> Void = { _ in }) -> Mempool {
        var configuration = MempoolConfiguration(chainID: chainID, globalSlots: globalSlots, accountSlots: accountSlots)
        // Most pool tests use zero fees to isolate ordering and replacement rules; the price
        // limit itself (default 1 wei) is tested in MempoolStuckSenderTests with the defaults.
        configuration.minimumTip = .zero
        configure(&configuration)
        return Mempool(configuration: configuration, head: head(state, baseFee: baseFee))
    }

    /// An EIP-1559 transfer; fees in gwei unless `wei` is set.
    static func transfer(_ key: PrivateKey, nonce: UInt64, tip: UInt64 = 1, fee: UInt64 = 100, gas: UInt64 = 21_000,
                         value: U256 = 1, to: Address? = recipient, chainID: UInt64 = chainID, data: [UInt8] = [],
                         wei: Bool = false) -> SignedTransaction {
        let unit = wei ? U256.one : gwei
        let tx = DynamicFeeTransaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: U256(tip) * unit,
                                       maxFeePerGas: U256(fee) * unit, gasLimit: gas, to: to, value: value, data: data)
        return try! Transaction.dynamicFee(tx).signed(with: key)
    }

    static func legacy(_ key: PrivateKey, nonce: UInt64, gasPrice: UInt64 = 1, chainID: UInt64? = chainID) -> SignedTransaction {
        let tx = LegacyTransaction(chainID: chainID, nonce: nonce, gasPrice: U256(gasPrice) * gwei, gasLimit: 21_000,
                                   to: recipient, value: 1)
        return try! Transaction.legacy(tx).signed(with: key)
    }

    /// The cost the pool charges: gas * maxFeePerGas + value.
    static func cost(_ tx: SignedTransaction) -> U256 {
        U256(tx.transaction.gasLimit) * tx.transaction.maxFeePerGas + tx.transaction.value
    }
}

/// Runs `body` and returns the mempool error's description, or nil when it did not throw.
func rejection(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as MempoolError {
        return error.description
    } catch {
        return "unexpected error \(error)"
    }
}

import Dispatch
import Primitives
import Synchronization

/// The pre-signed transfers of one sender: nonces `firstNonce ..< firstNonce + count`, stored
/// back to back (about 115 bytes each) so that millions of them stay compact.
struct SenderPlan: Sendable {
    let address: Address
    let firstNonce: UInt64
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int32] = []
    private(set) var hashes: [Hash32] = []

    var count: Int { hashes.count }
    var endNonce: UInt64 { firstNonce + UInt64(count) }

    func encoded(nonce: UInt64) -> ArraySlice<UInt8> {
        let k = Int(nonce - firstNonce)
        return bytes[(k == 0 ? 0 : Int(ends[k - 1]))..<Int(ends[k])]
    }

    func hash(nonce: UInt64) -> Hash32 { hashes[Int(nonce - firstNonce)] }

    init(address: Address, firstNonce: UInt64) {
        self.address = address
        self.firstNonce = firstNonce
    }

    mutating func append(_ tx: SignedTransaction) {
        bytes.append(contentsOf: tx.encoded)
        ends.append(Int32(bytes.count))
        hashes.append(tx.hash)
    }
}

/// What each pre-signed transaction does.
enum Workload: Sendable, Equatable {
    /// 1 wei to the next sender, 21,000 gas.
    case transfer
    /// ERC-20 `transfer(next sender, 1)` on the token at this address, with `gasLimit` gas.
    case erc20(token: Address, gasLimit: UInt64)

    /// The selector of `transfer(address,uint256)`.
    static let transferSelector: [UInt8] = [0xa9, 0x05, 0x9c, 0xbb]

    var name: String {
        switch self {
        case .transfer: "transfers"
        case .erc20(let token, _): "ERC-20 transfers on \(token)"
        }
    }
}

/// Every sender's pre-signed transactions. Sender i sends to sender i+1 (the last to the
/// first): 1 wei (the default) or 1 token unit through an ERC-20 `transfer` (`--erc20`),
/// EIP-1559, fee cap 10 gwei, tip 1 gwei: the state stays the senders' accounts (and their
/// token balances) plus the fee recipient however long the run.
struct TransactionPlan: Sendable {
    static let maxFeePerGas = U256(10_000_000_000)
    static let maxPriorityFeePerGas = U256(1_000_000_000)

    let chainID: UInt64
    let senders: [SenderPlan]

    /// Signs `perSender` transfers for each sender from its `firstNonces`, on every core.
    static func sign(chainID: UInt64, keys: [PrivateKey], addresses: [Address], firstNonces: [UInt64], perSender: Int,
                     workload: Workload = .transfer) -> TransactionPlan {
        let n = keys.count
        let results = Mutex<[SenderPlan?]>(Array(repeating: nil, count: n))
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let recipient = addresses[(i + 1) % n]
            var plan = SenderPlan(address: addresses[i], firstNonce: firstNonces[i])
            for k in 0..<perSender {
                var tx = DynamicFeeTransaction(
                    chainID: chainID, nonce: firstNonces[i] + UInt64(k), maxPriorityFeePerGas: maxPriorityFeePerGas,
                    maxFeePerGas: maxFeePerGas, gasLimit: 21_000, to: recipient, value: U256(1))
                if case .erc20(let token, let gasLimit) = workload {
                    tx.to = token
                    tx.value = .zero
                    tx.gasLimit = gasLimit
                    tx.data = Workload.transferSelector + [UInt8](repeating: 0, count: 12) + recipient.bytes + U256(1).bigEndianBytes
                }
                do { plan.append(try Transaction.dynamicFee(tx).signed(with: keys[i])) } catch {
                    preconditionFailure("signing a benchmark transfer failed: \(error)")
                }
            }
            results.withLock { $0[i] = plan }
        }
        return TransactionPlan(chainID: chainID, senders: results.withLock { $0.map { $0! } })
    }
}

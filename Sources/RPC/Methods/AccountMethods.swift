import JSON
import Primitives
import Synchronization

/// The account methods of a node that holds keys: on a development chain (`--test`) the ten
/// prefunded accounts of the standard development mnemonic, as anvil and Hardhat have them, so
/// that `w3.eth.accounts[0]` and `send_transaction({"from": …})` work as they do there.
///
/// - eth_accounts: the addresses, in mnemonic order; `[]` on a node without keys.
/// - eth_sendTransaction [tx]: fills what the request leaves out as web3.py's middleware does
///   (nonce: the sender's pending nonce; gas: eth_estimateGas on "pending"; fees: an EIP-1559
///   transaction with tip = eth_maxPriorityFeePerGas and cap = 2 × next base fee + tip, or a
///   legacy one at eth_gasPrice when the request names `gasPrice` or `type` 0), signs it with the
///   sender's key and submits it as eth_sendRawTransaction would; answers the hash.
/// - eth_signTransaction [tx]: the same filling and signing without submitting; answers geth's
///   `{raw, tx}`.
/// - eth_sign [address, data], personal_sign [data, address]: the EIP-191 signature of `data`
///   ("\x19Ethereum Signed Message:\n" + length + data), 65 bytes r ‖ s ‖ v with v 27 or 28,
///   as geth and anvil answer.
/// - eth_signTypedData_v4 [address, typedData]: the EIP-712 signature (``TypedData``), same form.
///
/// A `from` the node holds no key for fails with geth's "unknown account", and on a node
/// without keys the message says that keys exist only with `--test` and to sign locally.
struct AccountMethods: Sendable {
    let chain: ChainMethods
    let keys: [Address: PrivateKey]
    let addresses: [Address]
    /// Accounts eth_sendTransaction may send from without a key (development chains).
    let impersonation: Impersonation?

    init(chain: ChainMethods, keys: [PrivateKey], impersonation: Impersonation? = nil) {
        self.chain = chain
        self.impersonation = impersonation
        self.addresses = keys.map(\.address)
        self.keys = Dictionary(keys.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func accounts(_: RPCParams) async throws -> JSONValue {
        .array(addresses.map { ChainJSON.address($0) })
    }

    func sendTransaction(_ params: RPCParams) async throws -> JSONValue {
        let (tx, sender) = try await sign(params.required(0), allowImpersonation: true)
        if keys[sender] == nil {  // an impersonated sender: the pool takes the sender as given
            return ChainJSON.hash(try await chain.backend.sendImpersonatedTransaction(tx, sender: sender).hash)
        }
        return ChainJSON.hash(try await chain.backend.sendRawTransaction(tx.encoded).hash)
    }

    func signTransaction(_ params: RPCParams) async throws -> JSONValue {
        let (signed, sender) = try await sign(params.required(0))
        return ["raw": ChainJSON.data(signed.encoded),
                "tx": ChainJSON.transaction(signed, sender: sender, inclusion: nil)]
    }

    func ethSign(_ params: RPCParams) async throws -> JSONValue {
        try personalSignature(of: params.data(at: 1), by: params.address(at: 0))
    }

    func personalSign(_ params: RPCParams) async throws -> JSONValue {
        try personalSignature(of: params.data(at: 0), by: params.address(at: 1))
    }

    /// `[address, typedData]` (an object or its JSON text) -> the EIP-712 signature (see ``TypedData``).
    func signTypedData(_ params: RPCParams) async throws -> JSONValue {
        let key = try key(for: params.address(at: 0))
        let argument = try params.required(1)
        let digest: Hash32
        do {
            digest = try TypedData(argument.value).signingDigest()
        } catch {
            throw argument.invalid(error.reason)
        }
        return try Self.signature(of: digest, by: key)
    }

    // MARK: Signing

    private func key(for address: Address) throws(JSONRPCError) -> PrivateKey {
        guard let key = keys[address] else {
            if keys.isEmpty {
                throw JSONRPCError.server("unknown account \(address.hex): this node holds no account keys (the development "
                    + "accounts are served only with --test); sign locally and send with eth_sendRawTransaction")
            }
            throw JSONRPCError.server("unknown account \(address.hex)")
        }
        return key
    }

    private func personalSignature(of message: [UInt8], by address: Address) throws -> JSONValue {
        let digest = Keccak.hash256(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
        return try Self.signature(of: digest, by: key(for: address))
    }

    /// A message signature as geth and anvil answer it: r ‖ s ‖ v, v being 27 or 28.
    private static func signature(of digest: Hash32, by key: PrivateKey) throws -> JSONValue {
        var bytes = try key.sign(digest: digest).compact
        bytes[64] += 27
        return ChainJSON.data(bytes)
    }

    /// The transaction `argument` describes, completed and signed with its sender's key, and
    /// the sender.
    /// With `allowImpersonation`, an impersonated sender without a key gets a placeholder
    /// signature instead of "unknown account".
    func sign(_ argument: RPCParams.Argument, allowImpersonation: Bool = false) async throws -> (SignedTransaction, sender: Address) {
        let request = try CallRequest(argument)
        guard let from = request.from else { throw argument.invalid("missing \"from\": the account to send from") }
        let impersonated = allowImpersonation && keys[from] == nil && impersonation?.contains(from) == true
        let key: PrivateKey? = impersonated ? nil : try key(for: from)
        let chainID = chain.backend.chainID
        if let asked = request.chainID, asked != chainID {
            throw argument.invalid("chainId does not match node's (have=\(asked), want=\(chainID))")
        }
        let nonce: UInt64
        if let given = request.nonce { nonce = given } else { nonce = try await chain.backend.pendingNonce(from) }
        let legacy = request.gasPrice != nil || request.type == 0 || request.type == 1
        if let type = request.type, type > 2 {
            throw argument.invalid("transaction type \(type) cannot be signed here (0, 1 and 2 can)")
        }
        var gasPrice = U256.zero, tip = U256.zero, cap = U256.zero
        if legacy {
            if let given = request.gasPrice { gasPrice = given } else { gasPrice = try await chain.suggestedGasPrice() }
        } else {
            if let given = request.maxPriorityFeePerGas { tip = given } else { tip = try await chain.suggestedTip() }
            if let given = request.maxFeePerGas {
                cap = given
            } else {
                let base = try await chain.backend.nextBaseFee()
                let (doubled, o1) = base.multipliedReportingOverflow(by: U256(2))
                let (sum, o2) = doubled.addingReportingOverflow(tip)
                cap = o1 || o2 ? .max : sum
            }
            if request.maxPriorityFeePerGas == nil, tip > cap { tip = cap }  // a cap given alone bounds the suggested tip
            if tip > cap { throw argument.invalid("maxFeePerGas (\(cap)) < maxPriorityFeePerGas (\(tip))") }
        }
        let gas: UInt64
        if let given = request.gas {
            gas = given
        } else {
            var object = try argument.object()
            object["nonce"] = nil
            object["gas"] = nil
            object["type"] = nil
            if legacy {
                object["gasPrice"] = ChainJSON.quantity(gasPrice)
            } else {
                object["maxFeePerGas"] = ChainJSON.quantity(cap)
                object["maxPriorityFeePerGas"] = ChainJSON.quantity(tip)
            }
            gas = try await chain.estimate(chain.prepareCall(RPCParams([.object(object), .string("pending")])))
        }
        let transaction: Transaction
        if request.type == 1 || (legacy && !request.accessList.isEmpty) {
            transaction = .accessList(AccessListTransaction(chainID: chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gas, to: request.to,
                                                            value: request.value, data: request.data, accessList: request.accessList))
        } else if legacy {
            transaction = .legacy(LegacyTransaction(chainID: chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gas, to: request.to,
                                                    value: request.value, data: request.data))
        } else {
            transaction = .dynamicFee(DynamicFeeTransaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: cap,
                                                            gasLimit: gas, to: request.to, value: request.value, data: request.data,
                                                            accessList: request.accessList))
        }
        do {
            guard let key else {
                // An impersonated sender: a placeholder signature (r = s = 1); the pool and the
                // block record the sender instead of recovering it.
                return (try SignedTransaction(transaction, signature: Signature(r: .one, s: .one, v: 0)), from)
            }
            return (try transaction.signed(with: key), from)
        } catch {
            throw JSONRPCError.server("signing failed: \(error)")
        }
    }
}

extension RPCMethodTable {
    /// Registers eth_accounts, eth_sendTransaction, eth_signTransaction, eth_sign (namespace
    /// `eth`) and personal_sign (namespace `personal`) over `keys` (none: the node holds no
    /// keys, and the signing methods say so). See ``AccountMethods``.
    public mutating func registerAccountMethods(keys: [PrivateKey], backend: any RPCChainBackend,
                                                configuration: ChainMethodsConfiguration = ChainMethodsConfiguration(),
                                                impersonation: Impersonation? = nil) {
        let m = AccountMethods(chain: ChainMethods(backend: backend, configuration: configuration), keys: keys,
                               impersonation: impersonation)
        register("eth_accounts", execution: .inline, m.accounts)
        register("eth_sendTransaction", parameters: 1, m.sendTransaction)
        register("eth_signTransaction", parameters: 1, m.signTransaction)
        register("eth_sign", parameters: 2, m.ethSign)
        register("personal_sign", parameters: 2...3, m.personalSign)
        register("eth_signTypedData_v4", parameters: 2, m.signTypedData)
    }
}

/// The accounts a development chain lets eth_sendTransaction send from without their keys
/// (anvil_impersonateAccount), in memory as anvil keeps them.
public final class Impersonation: Sendable {
    private let state = Mutex<(accounts: Set<Address>, everyone: Bool)>(([], false))
    public init() {}
    public func start(_ address: Address) { state.withLock { _ = $0.accounts.insert(address) } }
    public func stop(_ address: Address) { state.withLock { _ = $0.accounts.remove(address) } }
    public func setAutomatic(_ on: Bool) { state.withLock { $0.everyone = on } }
    public func contains(_ address: Address) -> Bool { state.withLock { $0.everyone || $0.accounts.contains(address) } }
}

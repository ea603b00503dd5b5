/// One test of Ethereum's GeneralStateTests JSON format (`{"name": StateTestCase, ...}`).
struct StateTestCase: Decodable {
    struct Environment: Decodable {
        var currentCoinbase: String
        var currentGasLimit: String
        var currentNumber: String
        var currentTimestamp: String
        var currentBaseFee: String?
        var currentRandom: String?
        var currentDifficulty: String?
        var currentExcessBlobGas: String?
    }

    struct PreAccount: Decodable {
        var balance: String
        var code: String
        var nonce: String
        var storage: [String: String]
    }

    struct AccessListItem: Decodable {
        var address: String
        var storageKeys: [String]
    }

    struct TransactionTemplate: Decodable {
        var data: [String]
        var gasLimit: [String]
        var value: [String]
        var nonce: String
        var to: String
        var sender: String?
        var gasPrice: String?
        var maxFeePerGas: String?
        var maxPriorityFeePerGas: String?
        var accessLists: [[AccessListItem]?]?
        var blobVersionedHashes: [String]?
        var maxFeePerBlobGas: String?
    }

    struct Indexes: Decodable {
        var data: Int
        var gas: Int
        var value: Int
    }

    struct PostEntry: Decodable {
        var hash: String
        var logs: String
        var indexes: Indexes
        var expectException: String?
    }

    var env: Environment
    var pre: [String: PreAccount]
    var transaction: TransactionTemplate
    var post: [String: [PostEntry]]
}

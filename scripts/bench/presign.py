"""Pre-signs transfers from the dev accounts 1..N, M nonces each, one raw hex per line,
interleaved by nonce so that every prefix of the file is executable."""
import sys
from eth_account import Account

Account.enable_unaudited_hdwallet_features()
senders, per = int(sys.argv[1]), int(sys.argv[2])
keys = [Account.from_mnemonic("test test test test test test test test test test test junk",
                              account_path=f"m/44'/60'/0'/0/{i}") for i in range(1, senders + 1)]
for nonce in range(per):
    for k in keys:
        tx = k.sign_transaction({"to": "0x000000000000000000000000000000000000bEEF", "value": 1, "gas": 21000,
                                 "maxFeePerGas": 100 * 10**9, "maxPriorityFeePerGas": 10**9, "nonce": nonce,
                                 "chainId": 1337, "type": 2})
        print(tx.raw_transaction.to_0x_hex())

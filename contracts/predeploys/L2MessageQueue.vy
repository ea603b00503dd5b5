# pragma version ~=0.4.3
"""
@title L2MessageQueue (rollup-node predeploy at 0x5300000000000000000000000000000000000000)
@notice Holds the address of Scroll's L2 message queue. The messenger (set by the owner)
        appends the hashes of L2-to-L1 messages; each append extends a hash chain
        (messageRoot = keccak256(messageRoot ++ hash)) and is logged. Scroll keeps an
        append-only Merkle tree here for withdrawal proofs on L1; this node has no L2-to-L1
        bridge yet, so the chain only records the order.
"""

owner: public(address)
messenger: public(address)
messageRoot: public(bytes32)
nextMessageIndex: public(uint256)

event AppendMessage:
    index: uint256
    messageHash: bytes32

event UpdateMessenger:
    oldMessenger: address
    newMessenger: address


@deploy
def __init__():
    self.owner = msg.sender


@external
def initialize(new_messenger: address):
    assert msg.sender == self.owner, "caller is not the owner"
    log UpdateMessenger(oldMessenger=self.messenger, newMessenger=new_messenger)
    self.messenger = new_messenger


@external
def appendMessage(message_hash: bytes32) -> bytes32:
    assert msg.sender == self.messenger, "only messenger"
    log AppendMessage(index=self.nextMessageIndex, messageHash=message_hash)
    self.nextMessageIndex += 1
    self.messageRoot = keccak256(concat(self.messageRoot, message_hash))
    return self.messageRoot

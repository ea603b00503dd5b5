# pragma version ^0.4.0
# Burns gas on purpose for the tracing benchmark: hashes, storage writes and a call per round.

interface Bumper:
    def bump(by: uint256) -> uint256: nonpayable

acc: public(bytes32)
rounds: public(uint256)

@external
def spin(n: uint256, counter: address) -> bytes32:
    h: bytes32 = self.acc
    for i: uint256 in range(n, bound=10000):
        h = keccak256(concat(h, convert(i, bytes32)))
        if i % 16 == 0:
            self.rounds += 1
            extcall Bumper(counter).bump(1)
    self.acc = h
    return h

# pragma version ~=0.4.3
"""Reads what Scroll's rules change: PREVRANDAO, BLOCKHASH, and a SELFDESTRUCT that must fail."""

@external
@view
def prevrandao() -> bytes32:
    return block.prevrandao


@external
@view
def hash_of(n: uint256) -> bytes32:
    return blockhash(n)


@external
def destroy():
    selfdestruct(msg.sender)

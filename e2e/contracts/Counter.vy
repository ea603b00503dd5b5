# pragma version ^0.4.0
# A counter with an event and a guarded decrement: storage, logs and a revert reason.

event Bumped:
    who: indexed(address)
    value: uint256

count: public(uint256)
owner: public(address)

@deploy
def __init__(start: uint256):
    self.count = start
    self.owner = msg.sender

@external
def bump(by: uint256) -> uint256:
    self.count += by
    log Bumped(who=msg.sender, value=self.count)
    return self.count

@external
def drop(by: uint256):
    assert self.count >= by, "count would go below zero"
    self.count -= by

# pragma version ^0.4.0
# Records what an L1 message's call brought: msg.sender, msg.value and an argument; `boom`
# always reverts, so a failing message can be queued between two good ones.

event Recorded:
    sender: indexed(address)
    value: uint256
    x: uint256

last_sender: public(address)
last_value: public(uint256)
last_x: public(uint256)
calls: public(uint256)

@external
@payable
def record(x: uint256):
    self.last_sender = msg.sender
    self.last_value = msg.value
    self.last_x = x
    self.calls += 1
    log Recorded(sender=msg.sender, value=msg.value, x=x)

@external
def boom():
    raise "boom"

# pragma version ^0.4.0
# Takes ETH (a payable function and plain transfers), pays it back (clearing the slot: a gas
# refund), and calls another contract (a Counter) on the caller's behalf.

interface Bumper:
    def bump(by: uint256) -> uint256: nonpayable

event Deposited:
    who: indexed(address)
    amount: uint256

deposits: public(HashMap[address, uint256])

@external
@payable
def deposit():
    self.deposits[msg.sender] += msg.value
    log Deposited(who=msg.sender, amount=msg.value)

@external
@payable
def __default__():
    self.deposits[msg.sender] += msg.value
    log Deposited(who=msg.sender, amount=msg.value)

@external
def withdraw():
    amount: uint256 = self.deposits[msg.sender]
    assert amount > 0, "nothing deposited"
    self.deposits[msg.sender] = 0
    send(msg.sender, amount)

@external
def poke(counter: address, by: uint256) -> uint256:
    return extcall Bumper(counter).bump(by)

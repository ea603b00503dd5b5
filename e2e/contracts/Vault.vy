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

@external
def try_drop(counter: address, by: uint256) -> bool:
    # A nested call allowed to fail: the callee's revert (with its reason) stays inside it.
    ok: bool = False
    response: Bytes[128] = b""
    ok, response = raw_call(counter, abi_encode(by, method_id=method_id("drop(uint256)")), max_outsize=128,
                            revert_on_failure=False)
    return ok

@external
def fail_custom(need: uint256, have: uint256):
    # A custom error as Solidity encodes it: InsufficientBalance(uint256,uint256).
    raw_revert(concat(method_id("InsufficientBalance(uint256,uint256)"), abi_encode(need, have)))

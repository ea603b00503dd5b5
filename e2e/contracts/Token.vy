# pragma version ^0.4.0
# A plain ERC-20: balances, allowances, Transfer and Approval events; the deployer receives the
# whole supply. Transfers that empty a balance clear its storage slot (a gas refund).

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

name: public(String[32])
symbol: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])

@deploy
def __init__(supply: uint256):
    self.name = "Test Token"
    self.symbol = "TST"
    self.decimals = 18
    self.totalSupply = supply
    self.balanceOf[msg.sender] = supply
    log Transfer(sender=empty(address), receiver=msg.sender, value=supply)

@internal
def _move(source: address, to: address, amount: uint256):
    assert self.balanceOf[source] >= amount, "transfer amount exceeds balance"
    self.balanceOf[source] -= amount
    self.balanceOf[to] += amount
    log Transfer(sender=source, receiver=to, value=amount)

@external
def transfer(to: address, amount: uint256) -> bool:
    self._move(msg.sender, to, amount)
    return True

@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True

@external
def transferFrom(source: address, to: address, amount: uint256) -> bool:
    assert self.allowance[source][msg.sender] >= amount, "transfer amount exceeds allowance"
    self.allowance[source][msg.sender] -= amount
    self._move(source, to, amount)
    return True

# pragma version ~=0.4.3
"""
@title WETH (rollup-node predeploy at 0x5300000000000000000000000000000000000004)
@notice Wrapped Ether with WETH9's interface: deposit (or plain ETH sent to it) mints, withdraw
        burns and sends ETH back; an ERC-20 whose total supply is the contract's balance.
"""

name: public(constant(String[32])) = "Wrapped Ether"
symbol: public(constant(String[32])) = "WETH"
decimals: public(constant(uint8)) = 18

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])

event Approval:
    src: indexed(address)
    guy: indexed(address)
    wad: uint256

event Transfer:
    src: indexed(address)
    dst: indexed(address)
    wad: uint256

event Deposit:
    dst: indexed(address)
    wad: uint256

event Withdrawal:
    src: indexed(address)
    wad: uint256


@internal
@payable
def _deposit():
    self.balanceOf[msg.sender] += msg.value
    log Deposit(dst=msg.sender, wad=msg.value)


@external
@payable
def __default__():
    self._deposit()


@external
@payable
def deposit():
    self._deposit()


@external
def withdraw(wad: uint256):
    assert self.balanceOf[msg.sender] >= wad, "WETH: insufficient balance"
    self.balanceOf[msg.sender] -= wad
    log Withdrawal(src=msg.sender, wad=wad)
    send(msg.sender, wad)


@external
@view
def totalSupply() -> uint256:
    return self.balance


@external
def approve(guy: address, wad: uint256) -> bool:
    self.allowance[msg.sender][guy] = wad
    log Approval(src=msg.sender, guy=guy, wad=wad)
    return True


@internal
def _transfer_from(src: address, dst: address, wad: uint256) -> bool:
    assert self.balanceOf[src] >= wad, "WETH: insufficient balance"
    if src != msg.sender and self.allowance[src][msg.sender] != max_value(uint256):
        assert self.allowance[src][msg.sender] >= wad, "WETH: insufficient allowance"
        self.allowance[src][msg.sender] -= wad
    self.balanceOf[src] -= wad
    self.balanceOf[dst] += wad
    log Transfer(src=src, dst=dst, wad=wad)
    return True


@external
def transfer(dst: address, wad: uint256) -> bool:
    return self._transfer_from(msg.sender, dst, wad)


@external
def transferFrom(src: address, dst: address, wad: uint256) -> bool:
    return self._transfer_from(src, dst, wad)

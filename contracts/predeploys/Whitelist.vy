# pragma version ~=0.4.3
"""
@title Whitelist (rollup-node predeploy at 0x5300000000000000000000000000000000000003)
@notice Accounts the owner allows to update the L1GasPriceOracle's L1 base fees (Scroll's
        Whitelist: isSenderAllowed, updateWhitelistStatus).
"""

owner: public(address)
isAllowed: HashMap[address, bool]

event WhitelistStatusChanged:
    account: indexed(address)
    status: bool

event OwnershipTransferred:
    previousOwner: indexed(address)
    newOwner: indexed(address)


@deploy
def __init__():
    self.owner = msg.sender


@external
@view
def isSenderAllowed(sender: address) -> bool:
    return self.isAllowed[sender]


@external
def updateWhitelistStatus(accounts: DynArray[address, 64], status: bool):
    assert msg.sender == self.owner, "caller is not the owner"
    for account: address in accounts:
        self.isAllowed[account] = status
        log WhitelistStatusChanged(account=account, status=status)


@external
def transferOwnership(new_owner: address):
    assert msg.sender == self.owner, "caller is not the owner"
    assert new_owner != empty(address), "new owner is the zero address"
    log OwnershipTransferred(previousOwner=self.owner, newOwner=new_owner)
    self.owner = new_owner

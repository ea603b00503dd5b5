# pragma version ~=0.4.3
"""
@title L2TxFeeVault (rollup-node predeploy at 0x5300000000000000000000000000000000000005)
@notice The default fee recipient of Scroll-mode chains: gas fees (the base fee is not burnt)
        and L1 data fees are credited here by the block's execution, without a call. The owner
        withdraws to an L2 address. Scroll's vault withdraws to L1 through the messenger; this
        node has no L2-to-L1 messaging yet, so the withdrawal stays on L2.
"""

owner: public(address)
totalProcessed: public(uint256)

event Withdrawal:
    value: uint256
    to: indexed(address)

event OwnershipTransferred:
    previousOwner: indexed(address)
    newOwner: indexed(address)


@deploy
def __init__():
    self.owner = msg.sender


@external
@payable
def __default__():
    pass


@external
def withdraw(amount: uint256, to: address):
    assert msg.sender == self.owner, "caller is not the owner"
    assert amount <= self.balance, "insufficient balance to withdraw"
    self.totalProcessed += amount
    log Withdrawal(value=amount, to=to)
    send(to, amount)


@external
def transferOwnership(new_owner: address):
    assert msg.sender == self.owner, "caller is not the owner"
    assert new_owner != empty(address), "new owner is the zero address"
    log OwnershipTransferred(previousOwner=self.owner, newOwner=new_owner)
    self.owner = new_owner

# pragma version ~=0.4.3
"""Code an EOA delegates to with EIP-7702: its storage is the EOA's."""

count: public(uint256)

event Bumped:
    account: indexed(address)
    count: uint256


@external
def bump() -> uint256:
    self.count += 1
    log Bumped(account=self, count=self.count)
    return self.count


@external
@view
def whoami() -> address:
    return self

# pragma version ^0.4.0
# Deploys the init code it is given with CREATE2 (so the address is
# keccak256(0xff ++ factory ++ salt ++ keccak256(init code))[12:]), optionally funding it.

event Created:
    child: indexed(address)
    salt: bytes32

@external
@payable
def create(init_code: Bytes[4096], salt: bytes32) -> address:
    child: address = raw_create(init_code, value=msg.value, salt=salt)
    log Created(child=child, salt=salt)
    return child

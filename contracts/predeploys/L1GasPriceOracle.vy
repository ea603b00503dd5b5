# pragma version ~=0.4.3
"""
@title L1GasPriceOracle (rollup-node predeploy at 0x5300000000000000000000000000000000000002)
@notice The values Scroll's L1 data fee is computed from. The node reads slots 1, 2, 3, 5, 6, 7, 9
        and 10 directly (Execution/Scroll/L1Fee.swift), so the storage order below is Scroll's
        and must not change: 0 owner, 1 l1BaseFee, 2 overhead, 3 scalar, 4 whitelist,
        5 l1BlobBaseFee, 6 commitScalar (the exec scalar from Feynman), 7 blobScalar,
        8 isCurie, 9 penaltyThreshold, 10 penaltyFactor.
        The owner, or an account the whitelist contract allows, sets the L1 base fees; only the
        owner sets the scalars. Unlike Scroll's contract there is no getL1Fee(): from Galileo the
        fee depends on the zstd-compressed size of the signed transaction, which a contract
        cannot compute; receipts carry the fee each transaction paid (`l1Fee`).
"""

interface Whitelist:
    def isSenderAllowed(sender: address) -> bool: view

owner: public(address)
l1BaseFee: public(uint256)
overhead: public(uint256)
scalar: public(uint256)
whitelist: public(address)
l1BlobBaseFee: public(uint256)
commitScalar: public(uint256)
blobScalar: public(uint256)
isCurie: public(bool)
penaltyThreshold: public(uint256)
penaltyFactor: public(uint256)

event OwnershipTransferred:
    previousOwner: indexed(address)
    newOwner: indexed(address)

event L1BaseFeeUpdated:
    oldL1BaseFee: uint256
    newL1BaseFee: uint256

event L1BlobBaseFeeUpdated:
    oldL1BlobBaseFee: uint256
    newL1BlobBaseFee: uint256

event OverheadUpdated:
    oldOverhead: uint256
    newOverhead: uint256

event ScalarUpdated:
    oldScalar: uint256
    newScalar: uint256

event CommitScalarUpdated:
    oldCommitScalar: uint256
    newCommitScalar: uint256

event BlobScalarUpdated:
    oldBlobScalar: uint256
    newBlobScalar: uint256

event PenaltyThresholdUpdated:
    oldPenaltyThreshold: uint256
    newPenaltyThreshold: uint256

event PenaltyFactorUpdated:
    oldPenaltyFactor: uint256
    newPenaltyFactor: uint256

event UpdateWhitelist:
    oldWhitelist: address
    newWhitelist: address

# Scroll's limits on the scalars (1e9 precision).
MAX_OVERHEAD: constant(uint256) = 30000000 // 16
MAX_SCALAR: constant(uint256) = 1000 * 10**9
MAX_COMMIT_SCALAR: constant(uint256) = 10**9 * 10**9
MAX_BLOB_SCALAR: constant(uint256) = 10**9 * 10**9


@deploy
def __init__():
    self.owner = msg.sender


@internal
@view
def _only_owner():
    assert msg.sender == self.owner, "caller is not the owner"


@internal
@view
def _only_whitelisted():
    if msg.sender == self.owner:
        return
    assert self.whitelist != empty(address), "Not whitelisted sender"
    assert staticcall Whitelist(self.whitelist).isSenderAllowed(msg.sender), "Not whitelisted sender"


@external
def transferOwnership(new_owner: address):
    self._only_owner()
    assert new_owner != empty(address), "new owner is the zero address"
    log OwnershipTransferred(previousOwner=self.owner, newOwner=new_owner)
    self.owner = new_owner


@external
def updateWhitelist(new_whitelist: address):
    self._only_owner()
    log UpdateWhitelist(oldWhitelist=self.whitelist, newWhitelist=new_whitelist)
    self.whitelist = new_whitelist


@external
def setL1BaseFee(new_l1_base_fee: uint256):
    self._only_whitelisted()
    log L1BaseFeeUpdated(oldL1BaseFee=self.l1BaseFee, newL1BaseFee=new_l1_base_fee)
    self.l1BaseFee = new_l1_base_fee


@external
def setL1BaseFeeAndBlobBaseFee(new_l1_base_fee: uint256, new_l1_blob_base_fee: uint256):
    self._only_whitelisted()
    log L1BaseFeeUpdated(oldL1BaseFee=self.l1BaseFee, newL1BaseFee=new_l1_base_fee)
    log L1BlobBaseFeeUpdated(oldL1BlobBaseFee=self.l1BlobBaseFee, newL1BlobBaseFee=new_l1_blob_base_fee)
    self.l1BaseFee = new_l1_base_fee
    self.l1BlobBaseFee = new_l1_blob_base_fee


@external
def setOverhead(new_overhead: uint256):
    self._only_owner()
    assert new_overhead <= MAX_OVERHEAD, "exceed maximum overhead"
    log OverheadUpdated(oldOverhead=self.overhead, newOverhead=new_overhead)
    self.overhead = new_overhead


@external
def setScalar(new_scalar: uint256):
    self._only_owner()
    assert new_scalar <= MAX_SCALAR, "exceed maximum scalar"
    log ScalarUpdated(oldScalar=self.scalar, newScalar=new_scalar)
    self.scalar = new_scalar


@external
def setCommitScalar(new_commit_scalar: uint256):
    self._only_owner()
    assert new_commit_scalar <= MAX_COMMIT_SCALAR, "Exceed max commit scalar"
    log CommitScalarUpdated(oldCommitScalar=self.commitScalar, newCommitScalar=new_commit_scalar)
    self.commitScalar = new_commit_scalar


@external
def setBlobScalar(new_blob_scalar: uint256):
    self._only_owner()
    assert new_blob_scalar <= MAX_BLOB_SCALAR, "Exceed max blob scalar"
    log BlobScalarUpdated(oldBlobScalar=self.blobScalar, newBlobScalar=new_blob_scalar)
    self.blobScalar = new_blob_scalar


@external
def setPenaltyThreshold(new_threshold: uint256):
    self._only_owner()
    log PenaltyThresholdUpdated(oldPenaltyThreshold=self.penaltyThreshold, newPenaltyThreshold=new_threshold)
    self.penaltyThreshold = new_threshold


@external
def setPenaltyFactor(new_factor: uint256):
    self._only_owner()
    log PenaltyFactorUpdated(oldPenaltyFactor=self.penaltyFactor, newPenaltyFactor=new_factor)
    self.penaltyFactor = new_factor

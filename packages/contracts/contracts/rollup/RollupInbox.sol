// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IForceWindow} from "../bridge/IForceWindow.sol";

/// @title RollupInbox
/// @notice The L1 commitment of the Seed light rollup (packages/rollup-lite/SPEC.md "L1 commitment").
/// Each batch is one blob transaction calling `postBatch`: the contract reads the blob versioned
/// hashes with BLOBHASH, chains the batch to its parent by hash, checks that the L2 block range
/// continues the previous one, and records the output root claimed for the last block.
/// Only the sequencer set by the owner may post, except through the escape hatch: once the sequencer has
/// posted nothing for the chain's force window (registered in the SeedPortal), anyone may post, until the
/// sequencer posts again (docs/decisions/0700). Full batch data lives in events (for indexers and
/// verifiers); storage keeps what the next post and the portal's withdrawal proofs must check.
contract RollupInbox is Ownable {
    uint256 public constant MAX_BLOBS = 6;

    struct BatchRecord {
        bytes32 batchHash;
        bytes32 outputRoot;
        uint64 firstBlock;
        uint64 lastBlock;
        uint64 l1Block;
    }

    /// @dev What storage keeps per batch: the record plus its L1 timestamp, in the record's last slot.
    struct StoredBatch {
        bytes32 batchHash;
        bytes32 outputRoot;
        uint64 firstBlock;
        uint64 lastBlock;
        uint64 l1Block;
        uint64 l1Timestamp;
    }

    /// @notice The SeedPortal that may roll back invalidated outputs and registers the force window; zero for
    /// an inbox deployed outside the RollupInboxFactory (no bridge, no escape hatch).
    address public immutable portal;
    address public sequencer;
    /// @notice When the sequencer last posted (the inbox's creation before its first post): the escape hatch
    /// opens a force window after it. Packed with `sequencer`, so a post writes no extra slot.
    uint64 public sequencerPostedAt;
    uint256 public batchCount;
    mapping(uint256 index => StoredBatch) private _batches;

    event SequencerChanged(address indexed previous, address indexed next);
    /// @notice Batches `index` and later were dropped after their output was found invalid; posting resumes at `index`.
    event BatchesRolledBack(uint256 indexed index, uint256 previousCount);
    event BatchPosted(
        uint256 indexed index,
        bytes32 indexed batchHash,
        bytes32 parentBatchHash,
        uint64 firstBlock,
        uint64 lastBlock,
        bytes32 outputRoot,
        bytes32[] blobHashes,
        bytes cid
    );

    error NotSequencer(address caller);
    error WrongIndex(uint256 expected, uint256 given);
    error WrongParent(bytes32 expected, bytes32 given);
    error NoBlobs();
    error TooManyBlobs();
    error RangeNotContiguous(uint64 expectedFirst, uint64 givenFirst);
    error EmptyRange(uint64 firstBlock, uint64 lastBlock);
    error EmptyCid();
    error ZeroOutputRoot();
    error NotPortal(address caller);
    error NoSuchBatch(uint256 index, uint256 count);

    /// @dev The factory names the portal (its `portal()`); any other deployer (an EOA, a test) gets none.
    constructor(address owner_, address sequencer_) Ownable(owner_) {
        (bool ok, bytes memory ret) = msg.sender.staticcall(abi.encodeWithSignature("portal()"));
        portal = ok && ret.length == 32 ? abi.decode(ret, (address)) : address(0);
        sequencerPostedAt = uint64(block.timestamp);
        _setSequencer(sequencer_);
    }

    function setSequencer(address next) external onlyOwner {
        _setSequencer(next);
    }

    /// @param index position of this batch (0 for the first); must equal batchCount().
    /// @param parentBatchHash hash of batch index-1 (zero for the first batch).
    /// @param firstBlock first L2 block in the batch: lastBlock of the previous batch + 1 (1 for the first).
    /// @param outputRoot output root after lastBlock (SPEC.md "Output root").
    /// @param cid IPFS CID (binary) of the same channel bytes the blobs carry.
    function postBatch(
        uint256 index,
        bytes32 parentBatchHash,
        uint64 firstBlock,
        uint64 lastBlock,
        bytes32 outputRoot,
        bytes calldata cid
    ) external returns (bytes32 batchHash) {
        if (msg.sender == sequencer) sequencerPostedAt = uint64(block.timestamp);
        else if (!escapeHatchOpen()) revert NotSequencer(msg.sender);
        uint256 count = batchCount;
        if (index != count) revert WrongIndex(count, index);
        bytes32 parent = count == 0 ? bytes32(0) : _batches[count - 1].batchHash;
        if (parentBatchHash != parent) revert WrongParent(parent, parentBatchHash);
        uint64 expectedFirst = count == 0 ? 1 : _batches[count - 1].lastBlock + 1;
        if (firstBlock != expectedFirst) revert RangeNotContiguous(expectedFirst, firstBlock);
        if (lastBlock < firstBlock) revert EmptyRange(firstBlock, lastBlock);
        if (cid.length == 0) revert EmptyCid();
        if (outputRoot == bytes32(0)) revert ZeroOutputRoot();

        bytes32[] memory blobHashes = _blobHashes();
        batchHash = keccak256(
            abi.encode(index, parentBatchHash, firstBlock, lastBlock, outputRoot, blobHashes, keccak256(cid))
        );
        _batches[count] = StoredBatch(
            batchHash, outputRoot, firstBlock, lastBlock, uint64(block.number), uint64(block.timestamp)
        );
        batchCount = count + 1;
        emit BatchPosted(index, batchHash, parentBatchHash, firstBlock, lastBlock, outputRoot, blobHashes, cid);
    }

    function batch(uint256 index) external view returns (BatchRecord memory) {
        if (index >= batchCount) revert NoSuchBatch(index, batchCount);
        StoredBatch storage b = _batches[index];
        return BatchRecord(b.batchHash, b.outputRoot, b.firstBlock, b.lastBlock, b.l1Block);
    }

    /// @notice The output root of batch `index` and the L1 timestamp it was posted at (zeros past the last
    /// batch): what the portal proves withdrawals against and times the challenge window from.
    function outputAt(uint256 index) external view returns (bytes32 outputRoot, uint64 l1Timestamp) {
        if (index >= batchCount) return (bytes32(0), 0);
        StoredBatch storage b = _batches[index];
        return (b.outputRoot, b.l1Timestamp);
    }

    /// @notice True when the sequencer has posted nothing for the force window the portal registered for this
    /// chain: then anyone may post, so users can exit without the sequencer.
    function escapeHatchOpen() public view returns (bool) {
        if (portal == address(0)) return false;
        uint64 window = IForceWindow(portal).forceWindowOf(address(this));
        return window != 0 && block.timestamp >= uint256(sequencerPostedAt) + window;
    }

    /// @notice Drops batch `index` and every later one (their outputs were resolved invalid), so the next post
    /// is at `index`. Only the portal, after a challenge resolution; O(1): later records are overwritten.
    function rollBackTo(uint256 index) external {
        if (msg.sender != portal || portal == address(0)) revert NotPortal(msg.sender);
        uint256 count = batchCount;
        if (index >= count) revert NoSuchBatch(index, count);
        batchCount = index;
        emit BatchesRolledBack(index, count);
    }

    /// @notice Hash of the newest batch (zero before the first) and the last L2 block it covers.
    function head() external view returns (uint256 count, bytes32 batchHash, uint64 lastBlock) {
        count = batchCount;
        if (count > 0) {
            StoredBatch storage last = _batches[count - 1];
            (batchHash, lastBlock) = (last.batchHash, last.lastBlock);
        }
    }

    function _blobHashes() private view returns (bytes32[] memory hashes) {
        uint256 n;
        while (n <= MAX_BLOBS && blobhash(n) != bytes32(0)) n++;
        if (n == 0) revert NoBlobs();
        if (n > MAX_BLOBS) revert TooManyBlobs();
        hashes = new bytes32[](n);
        for (uint256 i; i < n; i++) hashes[i] = blobhash(i);
    }

    function _setSequencer(address next) private {
        emit SequencerChanged(sequencer, next);
        sequencer = next;
    }
}

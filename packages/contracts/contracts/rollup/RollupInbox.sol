// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title RollupInbox
/// @notice The L1 commitment of the Seed light rollup (packages/rollup-lite/SPEC.md "L1 commitment").
/// Each batch is one blob transaction calling `postBatch`: the contract reads the blob versioned
/// hashes with BLOBHASH, chains the batch to its parent by hash, checks that the L2 block range
/// continues the previous one, and records the output root claimed for the last block.
/// Only the sequencer set by the owner may post. Full batch data lives in events (for indexers
/// and verifiers); storage keeps only what the next post must check.
contract RollupInbox is Ownable {
    uint256 public constant MAX_BLOBS = 6;

    struct BatchRecord {
        bytes32 batchHash;
        bytes32 outputRoot;
        uint64 firstBlock;
        uint64 lastBlock;
        uint64 l1Block;
    }

    address public sequencer;
    BatchRecord[] private _batches;

    event SequencerChanged(address indexed previous, address indexed next);
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

    constructor(address owner_, address sequencer_) Ownable(owner_) {
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
        if (msg.sender != sequencer) revert NotSequencer(msg.sender);
        uint256 count = _batches.length;
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
        _batches.push(BatchRecord(batchHash, outputRoot, firstBlock, lastBlock, uint64(block.number)));
        emit BatchPosted(index, batchHash, parentBatchHash, firstBlock, lastBlock, outputRoot, blobHashes, cid);
    }

    function batchCount() external view returns (uint256) {
        return _batches.length;
    }

    function batch(uint256 index) external view returns (BatchRecord memory) {
        return _batches[index];
    }

    /// @notice Hash of the newest batch (zero before the first) and the last L2 block it covers.
    function head() external view returns (uint256 count, bytes32 batchHash, uint64 lastBlock) {
        count = _batches.length;
        if (count > 0) {
            BatchRecord storage last = _batches[count - 1];
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

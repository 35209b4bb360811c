// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SeedPortal} from "../bridge/SeedPortal.sol";
import {RollupInbox} from "./RollupInbox.sol";

/// @title RollupInboxFactory
/// @notice One RollupInbox per agent: every extension runs its own embedded rollup (docs/decisions/0405),
/// and the inbox address is what tells those chains apart on L1. The caller (the agent's smart account)
/// becomes the inbox owner; `sequencer` is the agent's batcher EOA (blob transactions need an EOA).
/// ETH sent along is forwarded to the batcher to pay its blob gas, so one user operation sets up batching.
/// Each inbox's chain gets its own EIP-155 chain id, derived from the inbox address and registered here so
/// no two inboxes share one (docs/decisions/0405, rollup-lite SPEC.md "Chain id").
/// It creates the SeedPortal (the bridge of every inbox, docs/decisions/0700) in its constructor, so the portal
/// knows which inboxes are real (this factory's) and every inbox knows its portal, at deterministic addresses.
contract RollupInboxFactory {
    /// @notice The bridge portal of every inbox this factory creates (CREATE from this factory, nonce 1).
    address public immutable portal;

    /// @notice The inbox each owner created (zero if none).
    mapping(address owner => address inbox) public inboxOf;
    /// @notice The chain id registered for each inbox this factory created (zero if none).
    mapping(address inbox => uint256 chainId) public chainIdOf;
    /// @notice The inbox that holds each registered chain id (zero if free).
    mapping(uint256 chainId => address inbox) public inboxOfChainId;

    /// @dev Chain ids live in [2^44, 2^45): far above the ids public chains use, below 2^53 so JavaScript
    /// wallets hold them exactly as numbers.
    uint256 private constant CHAIN_ID_BASE = 1 << 44;
    bytes32 private constant CHAIN_ID_TAG = keccak256("seed/rollup-chain-id/v1");

    event InboxCreated(address indexed owner, address indexed inbox, address indexed sequencer, uint256 funding);
    event ChainIdAssigned(address indexed inbox, uint256 chainId);

    error InboxExists(address owner, address inbox);
    error FundingFailed(address sequencer);

    constructor() {
        portal = address(new SeedPortal());
    }

    /// @notice Deploys the caller's inbox with CREATE2 (salt = caller) and funds the batcher with msg.value.
    function createInbox(address sequencer) external payable returns (address inbox) {
        if (inboxOf[msg.sender] != address(0)) revert InboxExists(msg.sender, inboxOf[msg.sender]);
        inbox = address(new RollupInbox{salt: _salt(msg.sender)}(msg.sender, sequencer));
        inboxOf[msg.sender] = inbox;
        uint256 chainId = _freeChainId(inbox);
        chainIdOf[inbox] = chainId;
        inboxOfChainId[chainId] = inbox;
        emit InboxCreated(msg.sender, inbox, sequencer, msg.value);
        emit ChainIdAssigned(inbox, chainId);
        if (msg.value > 0) {
            (bool ok,) = sequencer.call{value: msg.value}("");
            if (!ok) revert FundingFailed(sequencer);
        }
    }

    /// @notice The address `createInbox(sequencer)` called by `owner` deploys to (known before it exists).
    function predictInbox(address owner, address sequencer) public view returns (address) {
        bytes32 initCodeHash =
            keccak256(abi.encodePacked(type(RollupInbox).creationCode, abi.encode(owner, sequencer)));
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), _salt(owner), initCodeHash))))
        );
    }

    /// @notice The chain id `createInbox(sequencer)` called by `owner` would register now.
    function predictChainId(address owner, address sequencer) external view returns (uint256) {
        return _freeChainId(predictInbox(owner, sequencer));
    }

    /// @notice The rule: the `attempt`-th candidate chain id of `inbox` on the L1 `l1ChainId`.
    function chainIdFor(uint256 l1ChainId, address inbox, uint256 attempt) public pure returns (uint256) {
        return CHAIN_ID_BASE + (uint256(keccak256(abi.encode(CHAIN_ID_TAG, l1ChainId, inbox, attempt))) % CHAIN_ID_BASE);
    }

    /// @dev The first candidate no other inbox holds (a collision needs ~2^44 work to force; the next one is free).
    function _freeChainId(address inbox) private view returns (uint256 chainId) {
        for (uint256 attempt;; ++attempt) {
            chainId = chainIdFor(block.chainid, inbox, attempt);
            address holder = inboxOfChainId[chainId];
            if (holder == address(0) || holder == inbox) return chainId;
        }
    }

    function _salt(address owner) private pure returns (bytes32) {
        return bytes32(uint256(uint160(owner)));
    }
}

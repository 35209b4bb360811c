// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RollupInbox} from "./RollupInbox.sol";

/// @title RollupInboxFactory
/// @notice One RollupInbox per agent: every extension runs its own embedded rollup (docs/decisions/0405),
/// and the inbox address is what tells those chains apart on L1. The caller (the agent's smart account)
/// becomes the inbox owner; `sequencer` is the agent's batcher EOA (blob transactions need an EOA).
/// ETH sent along is forwarded to the batcher to pay its blob gas, so one user operation sets up batching.
contract RollupInboxFactory {
    /// @notice The inbox each owner created (zero if none).
    mapping(address owner => address inbox) public inboxOf;

    event InboxCreated(address indexed owner, address indexed inbox, address indexed sequencer, uint256 funding);

    error InboxExists(address owner, address inbox);
    error FundingFailed(address sequencer);

    /// @notice Deploys the caller's inbox with CREATE2 (salt = caller) and funds the batcher with msg.value.
    function createInbox(address sequencer) external payable returns (address inbox) {
        if (inboxOf[msg.sender] != address(0)) revert InboxExists(msg.sender, inboxOf[msg.sender]);
        inbox = address(new RollupInbox{salt: _salt(msg.sender)}(msg.sender, sequencer));
        inboxOf[msg.sender] = inbox;
        emit InboxCreated(msg.sender, inbox, sequencer, msg.value);
        if (msg.value > 0) {
            (bool ok,) = sequencer.call{value: msg.value}("");
            if (!ok) revert FundingFailed(sequencer);
        }
    }

    /// @notice The address `createInbox(sequencer)` called by `owner` deploys to (known before it exists).
    function predictInbox(address owner, address sequencer) external view returns (address) {
        bytes32 initCodeHash =
            keccak256(abi.encodePacked(type(RollupInbox).creationCode, abi.encode(owner, sequencer)));
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), _salt(owner), initCodeHash))))
        );
    }

    function _salt(address owner) private pure returns (bytes32) {
        return bytes32(uint256(uint160(owner)));
    }
}

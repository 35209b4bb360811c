// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {SeedAccount} from "./SeedAccount.sol";

/// @title SeedAccountFactory: CREATE2 minimal-proxy (EIP-1167) SeedAccounts.
/// @notice The address depends only on (owner, salt), so it is known before deployment: user ops carry the
/// factory call as initCode, and ERC-6492 signatures wrap it for counterfactual verification.
contract SeedAccountFactory {
    SeedAccount public immutable accountImplementation;

    event AccountCreated(address indexed account, address indexed owner, uint256 salt);

    constructor(IEntryPoint entryPoint) {
        accountImplementation = new SeedAccount(entryPoint);
    }

    /// @notice Deploys the account, or returns it if it already exists (so initCode stays idempotent).
    function createAccount(address owner, uint256 salt) external returns (SeedAccount) {
        address predicted = getAddress(owner, salt);
        if (predicted.code.length > 0) return SeedAccount(payable(predicted));
        address account = Clones.cloneDeterministic(address(accountImplementation), _salt(owner, salt));
        SeedAccount(payable(account)).initialize(owner);
        emit AccountCreated(account, owner, salt);
        return SeedAccount(payable(account));
    }

    function getAddress(address owner, uint256 salt) public view returns (address) {
        return Clones.predictDeterministicAddress(address(accountImplementation), _salt(owner, salt));
    }

    function _salt(address owner, uint256 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(owner, salt));
    }
}

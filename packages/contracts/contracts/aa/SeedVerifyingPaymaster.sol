// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {VerifyingPaymaster} from "@account-abstraction/contracts/samples/VerifyingPaymaster.sol";

/// @title SeedVerifyingPaymaster: the eth-infinitism v0.7 VerifyingPaymaster, unchanged.
/// @notice Sponsors any user op that carries a signature of the off-chain sponsor over getHash(op, window).
/// Re-declared here only so the build emits its ABI and bytecode into the seed contracts package.
contract SeedVerifyingPaymaster is VerifyingPaymaster {
    constructor(IEntryPoint entryPoint, address verifyingSigner, address owner)
        VerifyingPaymaster(entryPoint, verifyingSigner)
    {
        _transferOwnership(owner);
    }
}

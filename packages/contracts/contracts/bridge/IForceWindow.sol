// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What a RollupInbox asks its portal: the chain's force-inclusion window in seconds (zero when the
/// chain has no registered bridge config, and then the escape hatch stays shut).
interface IForceWindow {
    function forceWindowOf(address inbox) external view returns (uint64);
}

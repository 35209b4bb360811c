// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title L2TwinERC20
/// @notice The L2 twin of an L1 ERC-20 (rollup-lite SPEC §10.4), created by the L2StandardBridge predeploy on the
/// token's first deposit at a CREATE2 address that depends on the L1 token alone. Only the bridge mints (a
/// deposit) and burns (a withdrawal). Its name, symbol and decimals are the L1 token's to tell: L2 cannot read
/// L1, so a wallet reads them from `L1_TOKEN` on L1.
contract L2TwinERC20 is ERC20 {
    /// @notice The L2StandardBridge that created this twin.
    address public immutable BRIDGE;
    /// @notice The L1 token this twin stands for.
    address public immutable L1_TOKEN;

    error NotBridge(address caller);

    constructor(address l1Token) ERC20("Seed L2 twin", "TWIN") {
        BRIDGE = msg.sender;
        L1_TOKEN = l1Token;
    }

    function mint(address to, uint256 amount) external {
        _onlyBridge();
        _mint(to, amount);
    }

    function burn(address from, uint256 amount) external {
        _onlyBridge();
        _burn(from, amount);
    }

    function _onlyBridge() private view {
        if (msg.sender != BRIDGE) revert NotBridge(msg.sender);
    }
}

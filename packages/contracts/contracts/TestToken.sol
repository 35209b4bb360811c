// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// A plain mintable ERC-20 for tests and benchmarks (anyone may mint: devnet only).
contract TestToken is ERC20 {
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// ERC-677 style transfer (without the receiver callback): a token-moving selector that is not
    /// transfer/approve/transferFrom, for tests of limits that must hold for any selector.
    function transferAndCall(address to, uint256 amount, bytes calldata) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }
}

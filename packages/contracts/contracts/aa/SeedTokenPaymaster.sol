// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BasePaymaster} from "@account-abstraction/contracts/core/BasePaymaster.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {UserOperationLib} from "@account-abstraction/contracts/core/UserOperationLib.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SeedTokenPaymaster: pay gas in an ERC-20 (Seed USD) at an owner-set exchange rate.
/// @notice Validation checks that the sender holds and has approved the worst case (maxCost plus the postOp
/// allowance, in tokens); postOp pulls the actual cost. No oracle: the owner sets `tokenPerEth` (token units
/// per 1 ETH), which is what a devnet needs and a real one would replace.
/// Charging in postOp (not pre-charging in validation) keeps validation read-only, which bundlers simulate
/// reliably; the cost is that an op which spends its own balance/allowance makes postOp revert, and then the
/// EntryPoint rolls the op's execution back while the paymaster's deposit still pays the gas (griefing risk
/// bounded by one op's gas; acceptable for a devnet/agent paymaster, noted in docs/decisions/0203).
contract SeedTokenPaymaster is BasePaymaster {
    using SafeERC20 for IERC20;
    using UserOperationLib for PackedUserOperation;

    IERC20 public immutable token;
    uint256 public tokenPerEth;
    /// Gas the postOp itself may use, charged on top of the EntryPoint's actualGasCost.
    uint256 public constant POST_OP_GAS = 50_000;

    event TokenPerEthChanged(uint256 tokenPerEth);
    event GasPaidInToken(address indexed sender, uint256 tokenAmount, uint256 gasCostWei, uint256 tokenPerEth);

    error RateNotSet();
    error InsufficientTokenAllowance(uint256 needed, uint256 allowance);
    error InsufficientTokenBalance(uint256 needed, uint256 balance);

    constructor(IEntryPoint entryPoint, IERC20 token_, uint256 tokenPerEth_, address owner)
        BasePaymaster(entryPoint)
    {
        token = token_;
        tokenPerEth = tokenPerEth_;
        _transferOwnership(owner);
    }

    function setTokenPerEth(uint256 tokenPerEth_) external onlyOwner {
        tokenPerEth = tokenPerEth_;
        emit TokenPerEthChanged(tokenPerEth_);
    }

    function withdrawToken(address to, uint256 amount) external onlyOwner {
        token.safeTransfer(to, amount);
    }

    /// @notice Token units charged for `weiAmount` of gas (rounded up).
    function tokenCost(uint256 weiAmount) public view returns (uint256) {
        return Math.mulDiv(weiAmount, tokenPerEth, 1 ether, Math.Rounding.Ceil);
    }

    function _validatePaymasterUserOp(PackedUserOperation calldata userOp, bytes32, uint256 maxCost)
        internal
        view
        override
        returns (bytes memory context, uint256 validationData)
    {
        if (tokenPerEth == 0) revert RateNotSet();
        uint256 maxCharge = tokenCost(maxCost + POST_OP_GAS * userOp.unpackMaxFeePerGas());
        uint256 allowance = token.allowance(userOp.sender, address(this));
        if (allowance < maxCharge) revert InsufficientTokenAllowance(maxCharge, allowance);
        uint256 balance = token.balanceOf(userOp.sender);
        if (balance < maxCharge) revert InsufficientTokenBalance(maxCharge, balance);
        return (abi.encode(userOp.sender, maxCharge, tokenPerEth), 0);
    }

    function _postOp(PostOpMode, bytes calldata context, uint256 actualGasCost, uint256 actualUserOpFeePerGas)
        internal
        override
    {
        (address sender, uint256 maxCharge, uint256 rate) = abi.decode(context, (address, uint256, uint256));
        uint256 gasWei = actualGasCost + POST_OP_GAS * actualUserOpFeePerGas;
        uint256 charge = Math.min(maxCharge, Math.mulDiv(gasWei, rate, 1 ether, Math.Rounding.Ceil));
        token.safeTransferFrom(sender, address(this), charge);
        emit GasPaidInToken(sender, charge, gasWei, rate);
    }
}
